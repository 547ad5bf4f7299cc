export * from "./message.js";
export * from "./names.js";
export * from "./context.js";
export * from "./module.js";
export * from "./core.js";
