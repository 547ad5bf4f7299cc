export * from "./beehive/index.js";
export * from "./store/index.js";
export * from "./config/types.js";
export * from "./metamanager/store.js";
export * from "./observability/metrics.js";
