import { describe, expect, it } from "vitest";
import type { ProfileProtocol } from "@kubeedge-ts/contract";
import { endpointKey, targetOf } from "./target.js";

const proto = (p: Partial<ProfileProtocol>): ProfileProtocol => ({
  name: "p",
  protocol: "modbus",
  ...p,
});

describe("targetOf", () => {
  it.each<[string, Partial<ProfileProtocol>, unknown]>([
    [
      "v1alpha2 tcp",
      {
        protocolConfig: { slaveID: 7 },
        protocolCommonConfig: { tcp: { ip: "10.0.0.5", port: 5020 } },
      },
      { ok: true, value: { slaveId: 7, endpoint: { kind: "tcp", host: "10.0.0.5", port: 5020 } } },
    ],
    [
      "slave id defaults to 1",
      { protocolCommonConfig: { tcp: { ip: "h", port: 502 } } },
      { ok: true, value: { slaveId: 1, endpoint: { kind: "tcp", host: "h", port: 502 } } },
    ],
    [
      "v1alpha2 com with defaults",
      {
        protocolConfig: { slaveID: 2 },
        protocolCommonConfig: { com: { serialPort: "/dev/ttyS0", parity: "Even" } },
      },
      {
        ok: true,
        value: {
          slaveId: 2,
          endpoint: {
            kind: "rtu",
            path: "/dev/ttyS0",
            baudRate: 9600,
            dataBits: 8,
            parity: "even",
            stopBits: 1,
          },
        },
      },
    ],
    [
      "KubeEdge JS mapper's flat tcp config",
      { protocol: "modbus-tcp", protocolConfig: { ip: "127.0.0.1", port: 5028, slaveID: 1 } },
      { ok: true, value: { slaveId: 1, endpoint: { kind: "tcp", host: "127.0.0.1", port: 5028 } } },
    ],
    [
      "KubeEdge JS mapper's flat rtu config",
      {
        protocol: "modbus-rtu",
        protocolConfig: { serialPort: "/dev/ttyUSB0", baudRate: 19200, slaveID: 3 },
      },
      {
        ok: true,
        value: {
          slaveId: 3,
          endpoint: {
            kind: "rtu",
            path: "/dev/ttyUSB0",
            baudRate: 19200,
            dataBits: 8,
            parity: "none",
            stopBits: 1,
          },
        },
      },
    ],
    [
      "neither",
      { protocolConfig: { slaveID: 1 } },
      { ok: false, reason: "needs tcp {ip, port} or com {serialPort}" },
    ],
    [
      "both",
      { protocolCommonConfig: { tcp: { ip: "h", port: 1 }, com: { serialPort: "/dev/x" } } },
      { ok: false, reason: "has both tcp and com; a device uses one" },
    ],
    [
      "bad port",
      { protocolCommonConfig: { tcp: { ip: "h", port: 70000 } } },
      { ok: false, reason: "tcp port 70000 is invalid" },
    ],
  ])("%s", (_n, p, expected) => {
    expect(targetOf(proto(p))).toEqual(expected);
  });

  it("keys endpoints by address or serial path", () => {
    expect(endpointKey({ kind: "tcp", host: "h", port: 1 })).toBe("tcp://h:1");
    expect(
      endpointKey({
        kind: "rtu",
        path: "/dev/x",
        baudRate: 1,
        dataBits: 8,
        parity: "none",
        stopBits: 1,
      }),
    ).toBe("rtu:/dev/x");
  });
});
