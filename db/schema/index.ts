export * from "./auth";
export * from "./companies";
export * from "./vocabulary";
export * from "./integrations";
export * from "./assets";
export * from "./issues";
export * from "./sync";
export * from "./webhooks";
