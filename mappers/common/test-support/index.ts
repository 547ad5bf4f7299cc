/**
 * Helpers for tests that run real peers (mosquitto, pymodbus, socat): free ports, polling with
 * a deadline, child processes that are always cleaned up. Not part of the published library.
 */
export * from "./free-port.js";
export * from "./wait-for.js";
export * from "./child.js";
export * from "./mosquitto.js";
export * from "./mqtt-recorder.js";
export * from "./configmap-dir.js";
