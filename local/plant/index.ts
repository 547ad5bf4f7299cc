export * from "./physics.js";
export * from "./registers.js";
export * from "./plant.js";
export * from "./sample.js";
export * from "./app-image.js";
