export * from "./database.js";
export * from "./outbox.js";
export * from "./outbox-payloads.js";
export * from "./device-status.js";
export * from "./meta-store.js";
