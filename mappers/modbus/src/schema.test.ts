import { describe, expect, it } from "vitest";
import { createDeviceSelector, createLogger } from "@kubeedge-ts/mapper-common";
import { modbusProfile, type TestProperty } from "@kubeedge-ts/testkit";
import { createModbusProtocol } from "./driver.js";

const driver = createModbusProtocol({
  timeoutMs: 100,
  backoffMinMs: 10,
  backoffMaxMs: 10,
  log: createLogger("t", "silent"),
});
const select = createDeviceSelector(driver);

function problemsOf(p: TestProperty): unknown[] {
  return select(modbusProfile([{ id: "ns/d", tcpPort: 502, properties: [p] }])).problems;
}

describe("Modbus profile checks", () => {
  it.each<[string, TestProperty, string, string]>([
    [
      "an unknown register",
      { name: "t", dataType: "int", visitor: { register: "Holding", offset: 0 } },
      "register",
      "must be equal to one of the allowed values",
    ],
    [
      "a string offset",
      { name: "t", dataType: "int", visitor: { register: "HoldingRegister", offset: "0" } },
      "offset",
      "must be integer",
    ],
    [
      "an int over three registers",
      { name: "t", dataType: "int", visitor: { register: "HoldingRegister", offset: 0, limit: 3 } },
      "limit",
      "must be 1, 2 or 4 for int",
    ],
    [
      "a string in coils",
      { name: "t", dataType: "string", visitor: { register: "CoilRegister", offset: 0, limit: 1 } },
      "register",
      "CoilRegister cannot hold a string",
    ],
    [
      "a boolean over two coils",
      {
        name: "t",
        dataType: "boolean",
        visitor: { register: "CoilRegister", offset: 0, limit: 2 },
      },
      "limit",
      "must be 1 for a boolean coil",
    ],
    [
      "too many registers",
      {
        name: "t",
        dataType: "string",
        visitor: { register: "InputRegister", offset: 0, limit: 126 },
      },
      "limit",
      "must be <= 125 registers",
    ],
    [
      "past the address space",
      {
        name: "t",
        dataType: "int",
        visitor: { register: "HoldingRegister", offset: 65535, limit: 2 },
      },
      "limit",
      "offset + limit exceeds the 65536 addresses",
    ],
  ])("refuses %s", (_n, p, field, reason) => {
    expect(problemsOf(p)).toEqual([
      { device: "ns/d", field: `propertyVisitors[0].visitorConfig.${field}`, reason },
    ]);
  });

  it("accepts a visitor without limit (KubeEdge's older profiles) and defaults it to 1", () => {
    const sel = select(
      modbusProfile([
        {
          id: "ns/d",
          tcpPort: 502,
          properties: [
            { name: "t", dataType: "int", visitor: { register: "HoldingRegister", offset: 0 } },
          ],
        },
      ]),
    );
    expect(sel.problems).toEqual([]);
  });

  it("refuses a slave id out of range and a device without endpoint", () => {
    const p = modbusProfile([
      {
        id: "ns/d",
        tcpPort: 502,
        properties: [
          { name: "t", dataType: "int", visitor: { register: "HoldingRegister", offset: 0 } },
        ],
      },
    ]);
    p.protocols[0].protocolConfig = { slaveID: 300 };
    expect(select(p).problems).toEqual([
      { device: "ns/d", field: "protocol.protocolConfig.slaveID", reason: "must be <= 255" },
    ]);
    p.protocols[0].protocolConfig = { slaveID: 1 };
    p.protocols[0].protocolCommonConfig = {};
    expect(select(p).problems).toEqual([
      {
        device: "ns/d",
        field: "protocol.protocolCommonConfig",
        reason: "needs tcp {ip, port} or com {serialPort}",
      },
    ]);
  });
});
