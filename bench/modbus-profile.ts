/**
 * Cost of (re)loading a large device profile in the Modbus mapper: JSON size and the time to
 * parse, validate (ajv + Modbus checks) and select N devices with 4 properties each. A
 * ConfigMap is capped at 1 MiB, so the largest N here is past what one node's profile can hold.
 * Run: `node --conditions=source --import tsx bench/modbus-profile.ts`.
 */
import { createDeviceSelector, createLogger, parseProfile } from "@kubeedge-ts/mapper-common";
import { createModbusProtocol } from "../mappers/modbus/src/driver.js";
import { modbusProfile, type TestDevice } from "@kubeedge-ts/testkit";

const driver = createModbusProtocol({
  timeoutMs: 1000,
  backoffMinMs: 100,
  backoffMaxMs: 1000,
  log: createLogger("bench", "silent"),
});
const select = createDeviceSelector(driver);

function devices(n: number): TestDevice[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `factory/sensor-${i}`,
    slaveId: (i % 247) + 1,
    tcpPort: 502 + Math.floor(i / 247),
    properties: [
      {
        name: "temperature",
        dataType: "float",
        minimum: -40,
        maximum: 125,
        visitor: { register: "HoldingRegister", offset: 0, limit: 2, isRegisterSwap: true },
      },
      {
        name: "humidity",
        dataType: "int",
        accessMode: "ReadOnly",
        visitor: { register: "InputRegister", offset: 4, limit: 1, scale: 0.1 },
      },
      {
        name: "relay",
        dataType: "boolean",
        visitor: { register: "CoilRegister", offset: 0, limit: 1 },
      },
      {
        name: "label",
        dataType: "string",
        visitor: { register: "HoldingRegister", offset: 10, limit: 8 },
      },
    ],
  }));
}

for (const n of [100, 500, 1000, 2000]) {
  const text = JSON.stringify(modbusProfile(devices(n)));
  const runs: number[] = [];
  for (let r = 0; r < 5; r++) {
    const t0 = process.hrtime.bigint();
    const parsed = parseProfile(text);
    if (!parsed.ok) throw new Error(parsed.reason);
    const sel = select(parsed.value);
    runs.push(Number(process.hrtime.bigint() - t0) / 1e6);
    if (sel.devices.length !== n || sel.problems.length > 0)
      throw new Error(`selected ${sel.devices.length}/${n}`);
  }
  runs.sort((a, b) => a - b);
  console.log(
    `${String(n).padStart(5)} devices  ${(text.length / 1024).toFixed(0).padStart(5)} KiB  parse+validate+select median ${runs[2].toFixed(1)} ms (min ${runs[0].toFixed(1)})`,
  );
}
