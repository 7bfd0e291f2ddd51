// Kept for existing imports: the test helpers now live in the shared simulator kit.
export * from "../simulator-kit/testing";
