/**
 * Turns a protocol that reads and writes one property at a time (Modbus, and most others) into
 * a driver: each device gets a DeviceRunner, which polls every property on its collect cycle,
 * reports on the report cycle, writes desired values and derives the device state.
 */
import { DeviceRunner } from "./device-runner.js";
import type { PollingProtocol, ProtocolDriver } from "./driver.js";

export function pollingDriver<V>(protocol: PollingProtocol<V>): ProtocolDriver<V, DeviceRunner<V>> {
  return {
    protocol: protocol.protocol,
    schemas: protocol.schemas,
    check: protocol.check,
    defaultCycleMs: protocol.defaultCycleMs,
    createSession: (device, ctx) => new DeviceRunner(device, protocol, ctx),
    close: async () => protocol.close?.(),
  };
}
