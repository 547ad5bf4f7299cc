export * from "./names.js";
export * from "./topics.js";
export * from "./messages.js";
export * from "./profile.js";
export * from "./twin-value.js";
