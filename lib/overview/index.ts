// The reads of the overview page (app/(app)/page.tsx), one file per part of the page.
export * from "./records";
export * from "./requests";
export * from "./statistics";
export * from "./visibility";
