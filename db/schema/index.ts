export * from "./people";
export * from "./school";
export * from "./helpdesk";
export * from "./accounts";
export * from "./privacy";
export * from "./holds";
export * from "./register";
export * from "./obligations";
