import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ModbusVisitorConfig } from "@kubeedge-ts/contract";
import {
  createDeviceSelector,
  createLogger,
  type ResolvedDevice,
} from "@kubeedge-ts/mapper-common";
import {
  eventually,
  float32Words,
  startPymodbus,
  type PymodbusServer,
  startTcpProxy,
  type TcpProxy,
  modbusProfile,
  type TestProperty,
} from "@kubeedge-ts/testkit";
import { createModbusProtocol } from "./driver.js";

const props: TestProperty[] = [
  {
    name: "temperature",
    dataType: "int",
    minimum: -50,
    maximum: 150,
    visitor: { register: "HoldingRegister", offset: 1, limit: 1 },
  },
  {
    name: "humidity",
    dataType: "float",
    visitor: { register: "InputRegister", offset: 10, limit: 2, isRegisterSwap: true },
  },
  {
    name: "pressure",
    dataType: "double",
    visitor: { register: "HoldingRegister", offset: 20, limit: 1, scale: 0.1 },
  },
  {
    name: "switch",
    dataType: "boolean",
    visitor: { register: "CoilRegister", offset: 3, limit: 1 },
  },
  {
    name: "door",
    dataType: "boolean",
    visitor: { register: "DiscreteInputRegister", offset: 4, limit: 1 },
  },
  {
    name: "label",
    dataType: "string",
    visitor: { register: "HoldingRegister", offset: 30, limit: 2, isSwap: true },
  },
  {
    name: "missing",
    dataType: "int",
    visitor: { register: "HoldingRegister", offset: 5000, limit: 1 },
  },
];

// Generous: a spurious timeout on a loaded CI machine would fail value assertions.
const TIMEOUT_MS = 1000;

describe("Modbus driver against pymodbus over TCP", { timeout: 60_000 }, () => {
  let server: PymodbusServer;
  // The device is reached through a proxy, so outages are cut connections, never a server
  // restarted on the same port.
  let proxy: TcpProxy;
  let port: number;
  const driver = createModbusProtocol({
    timeoutMs: TIMEOUT_MS,
    backoffMinMs: 50,
    backoffMaxMs: 200,
    log: createLogger("t", "silent"),
  });
  let device: ResolvedDevice<ModbusVisitorConfig>;
  const prop = (name: string) => device.properties.find(p => p.name === name)!;

  beforeAll(async () => {
    server = await startPymodbus({ slaves: [1, 2] });
    proxy = await startTcpProxy({ port: server.port! });
    port = proxy.port;
    const select = createDeviceSelector(driver);
    const sel = select(
      modbusProfile([{ id: "default/dev1", slaveId: 2, tcpPort: port, properties: props }]),
    );
    expect(sel.problems).toEqual([]);
    device = sel.devices[0];
  });
  afterAll(async () => {
    await driver.close?.();
    await proxy?.close();
    await server?.stop();
  });

  it("reads all four register types with swap, scale and types as the server holds them", async () => {
    await server.set(2, "hr", 1, [0xffec]); // -20
    await server.set(2, "ir", 10, float32Words(55.5).reverse());
    await server.set(2, "hr", 20, [10132]);
    await server.set(2, "co", 3, [1]);
    await server.set(2, "di", 4, [1]);
    // "kied" as a device storing bytes little-endian within each register would hold it.
    await server.set(2, "hr", 30, [0x696b, 0x6465]);
    const conn = driver.open(device);
    try {
      expect(await conn.read(prop("temperature"))).toBe(-20);
      expect(await conn.read(prop("humidity"))).toBe(55.5);
      expect(await conn.read(prop("pressure"))).toBeCloseTo(1013.2, 5);
      expect(await conn.read(prop("switch"))).toBe(true);
      expect(await conn.read(prop("door"))).toBe(true);
      expect(await conn.read(prop("label"))).toBe("kied");
    } finally {
      await conn.close();
    }
  });

  it("writes holding registers and coils so the server holds the encoded value", async () => {
    const conn = driver.open(device);
    try {
      await conn.write(prop("temperature"), -7);
      expect(await server.get(2, "hr", 1, 1)).toEqual([0xfff9]);
      await conn.write(prop("pressure"), 999.9);
      expect(await server.get(2, "hr", 20, 1)).toEqual([9999]);
      await conn.write(prop("switch"), false);
      expect(await server.get(2, "co", 3, 1)).toEqual([0]);
      await conn.write(prop("label"), "ab");
      expect(await server.get(2, "hr", 30, 2)).toEqual([0x6261, 0]);
      await expect(conn.write(prop("humidity"), 1)).rejects.toThrow(/InputRegister is read-only/);
      await expect(conn.write(prop("temperature"), 70000)).rejects.toThrow(RangeError);
    } finally {
      await conn.close();
    }
  });

  it("classifies an illegal data address as unhealthy and keeps the connection usable", async () => {
    const conn = driver.open(device);
    try {
      const err = await conn.read(prop("missing")).catch((e: unknown) => e);
      expect(driver.classify(err)).toEqual({
        state: "unhealthy",
        reason: `illegal data address (exception 2, function 3) at tcp://127.0.0.1:${port} slave 2 read HoldingRegister@5000`,
      });
      expect(await conn.read(prop("temperature"))).toBe(-7);
    } finally {
      await conn.close();
    }
  });

  it("reports offline while the link is cut (accepted, then reset) and reconnects when it returns", async () => {
    const conn = driver.open(device);
    try {
      expect(await conn.read(prop("temperature"))).not.toBeUndefined();
      proxy.cut();
      const err = await conn.read(prop("temperature")).catch((e: unknown) => e);
      expect(driver.classify(err).state).toBe("offline");
      // Each reconnect is accepted and reset at once: the read fails instead of waiting in
      // jsmodbus's queue for a send that never comes.
      for (let i = 0; i < 3; i++) {
        const again = await conn.read(prop("temperature")).catch((e: unknown) => e);
        expect(driver.classify(again)).toMatchObject({
          state: "offline",
          reason: expect.stringMatching(/ECONNRESET|closed|reconnecting/),
        });
      }
      proxy.restore();
      await server.set(2, "hr", 1, [42]);
      await eventually(
        "reconnect",
        async () => (await conn.read(prop("temperature")).catch(() => undefined)) === 42,
        5000,
      );
    } finally {
      await conn.close();
    }
  });

  it("fails requests queued behind a timed-out one at once, and recovers when the server answers", async () => {
    const conn = driver.open(device);
    try {
      expect(await conn.read(prop("temperature"))).toBeTypeOf("number");
      server.pause();
      const started = Date.now();
      const [first, second] = await Promise.all([
        conn.read(prop("temperature")).catch((e: unknown) => e),
        conn.read(prop("humidity")).catch((e: unknown) => e),
      ]);
      const elapsed = Date.now() - started;
      expect(driver.classify(first)).toMatchObject({
        state: "offline",
        reason: expect.stringMatching(/no response within timeout/),
      });
      expect(driver.classify(second)).toMatchObject({
        state: "offline",
        reason: expect.stringMatching(/\(retrying\)$/),
      });
      expect(elapsed).toBeLessThan(2 * TIMEOUT_MS); // one timeout, not two
      server.resume();
      await eventually(
        "answers again",
        async () =>
          typeof (await conn.read(prop("temperature")).catch(() => undefined)) === "number",
        5000,
      );
    } finally {
      server.resume();
      await conn.close();
    }
  });

  it("keeps neighbours online when one slave behind the endpoint is dead", async () => {
    const silent = await startPymodbus({ slaves: [1], ignoreMissingSlaves: true });
    const select = createDeviceSelector(driver);
    const profile = modbusProfile([
      { id: "alive", slaveId: 1, tcpPort: silent.port, properties: props },
      { id: "dead", slaveId: 9, tcpPort: silent.port, properties: props },
    ]);
    const [alive, dead] = select(profile).devices.map(d => driver.open(d));
    try {
      await silent.set(1, "hr", 1, [5]);
      const results = await Promise.all([
        dead.read(prop("temperature")).catch((e: unknown) => driver.classify(e).state),
        alive.read(prop("temperature")),
        dead.read(prop("temperature")).catch((e: unknown) => driver.classify(e).reason),
        alive.read(prop("temperature")),
      ]);
      expect(results[0]).toBe("offline");
      expect(results[1]).toBe(5);
      expect(results[2]).toMatch(/slave 9 .*\(retrying\)$/);
      expect(results[3]).toBe(5);
    } finally {
      await alive.close();
      await dead.close();
      await silent.stop();
    }
  });

  it("addresses each device's slave id on a shared connection, also when requests interleave", async () => {
    await server.set(1, "hr", 1, [111]);
    await server.set(2, "hr", 1, [222]);
    const select = createDeviceSelector(driver);
    const { devices } = select(
      modbusProfile([{ id: "a", slaveId: 1, tcpPort: port, properties: props }]),
    );
    const a = driver.open(devices[0]);
    const b = driver.open(device);
    try {
      const reads = await Promise.all(
        Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? a : b).read(prop("temperature"))),
      );
      expect(reads).toEqual(Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? 111 : 222)));
      expect(driver.pool.size).toBe(1);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it("shares one connection per endpoint between devices", async () => {
    const a = driver.open(device);
    const b = driver.open({ ...device, id: "other" });
    expect(driver.pool.size).toBe(1);
    await a.close();
    expect(driver.pool.size).toBe(1);
    await b.close();
    expect(driver.pool.size).toBe(0);
  });
});
