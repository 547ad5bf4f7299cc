/**
 * Modbus read throughput per connection: one device, sequential reads of one holding register
 * (and of a float32 input register pair) through the mapper's driver against Debian's pymodbus,
 * over TCP on 127.0.0.1 and over RTU through a socat pty pair (a pty has no baud-rate limit, so
 * RTU figures show framing/serial-stack cost, not a real line's speed).
 * Run: `node --conditions=source --import tsx bench/modbus-reads.ts [seconds]`.
 */
import type { ModbusVisitorConfig } from "@kubeedge-ts/contract";
import {
  createDeviceSelector,
  createLogger,
  type DeviceConnection,
  type ResolvedProperty,
} from "@kubeedge-ts/mapper-common";
import { createModbusProtocol } from "../mappers/modbus/src/driver.js";
import { startPtyPair, startPymodbus, modbusProfile, type TestDevice } from "@kubeedge-ts/testkit";

const seconds = Number(process.argv[2] ?? 5);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
}

async function measure(label: string, device: TestDevice): Promise<void> {
  const driver = createModbusProtocol({
    timeoutMs: 1000,
    backoffMinMs: 100,
    backoffMaxMs: 1000,
    log: createLogger("bench", "warn"),
  });
  const { devices, problems } = createDeviceSelector(driver)(modbusProfile([device]));
  if (problems.length > 0) throw new Error(JSON.stringify(problems));
  const conn: DeviceConnection<ModbusVisitorConfig> = driver.open(devices[0]);
  try {
    for (const prop of devices[0].properties) await runOne(label, conn, prop);
  } finally {
    await conn.close();
    await driver.close?.();
  }
}

async function runOne(
  label: string,
  conn: DeviceConnection<ModbusVisitorConfig>,
  prop: ResolvedProperty<ModbusVisitorConfig>,
): Promise<void> {
  for (let i = 0; i < 50; i++) await conn.read(prop); // warm-up
  const lat: number[] = [];
  const end = Date.now() + seconds * 1000;
  const t0 = process.hrtime.bigint();
  while (Date.now() < end) {
    const s = process.hrtime.bigint();
    await conn.read(prop);
    lat.push(Number(process.hrtime.bigint() - s) / 1e6);
  }
  const elapsed = Number(process.hrtime.bigint() - t0) / 1e9;
  lat.sort((a, b) => a - b);
  console.log(
    `${label.padEnd(4)} ${prop.name.padEnd(12)} ${(lat.length / elapsed).toFixed(0).padStart(6)} reads/s  ` +
      `p50 ${percentile(lat, 0.5).toFixed(2)} ms  p99 ${percentile(lat, 0.99).toFixed(2)} ms  (${lat.length} reads)`,
  );
}

const properties: TestDevice["properties"] = [
  {
    name: "temperature",
    dataType: "int",
    visitor: { register: "HoldingRegister", offset: 0, limit: 1 },
  },
  {
    name: "humidity",
    dataType: "float",
    visitor: { register: "InputRegister", offset: 2, limit: 2 },
  },
];

const tcp = await startPymodbus({ slaves: [1] });
const pty = await startPtyPair();
const rtu = await startPymodbus({ rtuPath: pty.b, slaves: [1] });
try {
  await measure("tcp", { id: "bench/tcp", tcpPort: tcp.port, properties });
  await measure("rtu", { id: "bench/rtu", serialPort: pty.a, properties });
} finally {
  await rtu.stop();
  await pty.stop();
  await tcp.stop();
}
