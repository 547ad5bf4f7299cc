export * from "./names.js";
export * from "./topics.js";
export * from "./messages.js";
export * from "./profile.js";
export * from "./twin-value.js";
export * from "./profile-schema.js";
export * from "./profile-parse.js";
export * from "./bootstrap.js";
