export * from "./physics.js";
export * from "./registers.js";
export * from "./plant.js";
