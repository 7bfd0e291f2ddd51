// Where a signed-in person lands: after sign-in, an invitation, a company switch, or a page their role may not open.
export const homePath = "/overview";
