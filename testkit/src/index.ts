/**
 * The one copy of the helpers that tests, benchmarks and the local demo share: polling with a
 * deadline, free ports, child processes that are always cleaned up, real peers (mosquitto,
 * pymodbus, socat) and the fixtures they talk about. A private workspace: never shipped.
 */
export * from "./eventually.js";
export * from "./free-port.js";
export * from "./child.js";
export * from "./run-to-end.js";
export * from "./proc.js";
export * from "./mosquitto.js";
export * from "./mqtt-recorder.js";
export * from "./configmap-dir.js";
export * from "./modbus-peers.js";
export * from "./modbus-profiles.js";
export * from "./bins.js";
export * from "./tcp-proxy.js";
export * from "./thermometer.js";
export * from "./seeded-random.js";
