import type { BluetoothVisitorConfig, ProfileProperty } from "@kubeedge-ts/contract";
import { performAction, type GattIO } from "./perform.js";

function fakeIO(readHex = "") {
  const writes: [string, string][] = [];
  const io: GattIO = {
    read: async () => Buffer.from(readHex, "hex"),
    write: async (uuid, data) => void writes.push([uuid, data.toString("hex")]),
  };
  return { io, writes };
}

const SWITCH: BluetoothVisitorConfig = {
  characteristicUUID: "aa02",
  dataWrite: { ON: "AQ==", OFF: "AA==" },
};
const TEMP: BluetoothVisitorConfig = {
  characteristicUUID: "aa01",
  dataConverter: {
    startIndex: 1,
    endIndex: 0,
    shiftRight: 2,
    orderOfOperations: [{ operationType: "Multiply", operationValue: 0.03125 }],
  },
};
const rw = (defaultValue?: string): ProfileProperty => ({
  name: "enable",
  dataType: "string",
  accessMode: "ReadWrite",
  defaultValue,
});
const ro: ProfileProperty = { name: "temperature", dataType: "float", accessMode: "ReadOnly" };
const action = { name: "act", performImmediately: false, propertyName: "x" };

describe("performAction", () => {
  it.each([
    { name: "writes the given value through dataWrite", prop: rw("OFF"), value: "ON", hex: "01" },
    { name: "falls back to the model default", prop: rw("OFF"), value: undefined, hex: "00" },
  ])("$name", async ({ prop, value, hex }) => {
    const { io, writes } = fakeIO();
    const out = await performAction(action, { property: prop, visitor: SWITCH }, io, value);
    expect(writes).toEqual([["aa02", hex]]);
    expect(out).toEqual({
      action: "act",
      property: "enable",
      kind: "write",
      value: value ?? "OFF",
    });
  });

  it("reads and converts a ReadOnly property", async () => {
    const { io, writes } = fakeIO("900c0000");
    const out = await performAction(action, { property: ro, visitor: TEMP }, io);
    expect(out).toEqual({ action: "act", property: "temperature", kind: "read", value: "25.125" });
    expect(writes).toEqual([]);
  });

  it.each([
    {
      name: "no value at all",
      prop: rw(),
      value: undefined,
      err: 'action "act": no desired or default value to write to enable',
    },
    {
      name: "an unmapped value",
      prop: rw(),
      value: "DIM",
      err: 'action "act": no dataWrite entry for "DIM" (known: ON, OFF)',
    },
  ])("refuses to write $name, touching nothing", async ({ prop, value, err }) => {
    const { io, writes } = fakeIO();
    await expect(
      performAction(action, { property: prop, visitor: SWITCH }, io, value),
    ).rejects.toThrow(err);
    expect(writes).toEqual([]);
  });
});
