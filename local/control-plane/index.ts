export * from "./binaries.js";
export * from "./control-plane.js";
export * from "./credentials.js";
export * from "./state.js";
export { layout } from "./layout.js";
export { PortInUseError } from "./ports.js";
export { BOOTSTRAP_TOKEN_GROUP, clusterInfoKubeconfig } from "./bootstrap-objects.js";
