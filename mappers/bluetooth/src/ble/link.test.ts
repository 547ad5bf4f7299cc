/**
 * noble's real central code (scanning, connecting, GATT discovery, reads, writes, notifications)
 * against a simulated SensorTag behind noble's websocket bindings.
 */
import { createLogger } from "@kubeedge-ts/mapper-common";
import { eventually } from "@kubeedge-ts/testkit";
import { addSensorTag, encodeTemperature, SENSORTAG, SimRadio } from "../../test/sim-peripheral.js";
import { BleLink } from "./link.js";
import { loadNoble, waitPoweredOn } from "./noble-loader.js";
import { Scanner } from "./scanner.js";

const log = createLogger("test", "silent");
const FAST = { connectTimeoutMs: 500, opTimeoutMs: 500, retryMinMs: 20, retryMaxMs: 100 };

describe("BleLink over noble", () => {
  let radio: SimRadio;
  let link: BleLink | undefined;

  beforeEach(async () => {
    radio = await SimRadio.start();
  });
  afterEach(async () => {
    await link?.stop();
    await radio.close();
  });

  it("scans, connects, discovers, reads, writes, notifies, and reconnects after the peripheral vanishes", async () => {
    const tag = addSensorTag(radio, "A0:E6:F8:B6:37:83", 25.125);
    const noble = loadNoble({ websocketUrl: radio.url });
    await waitPoweredOn(noble, 2000);
    link = new BleLink("a0-e6-f8-b6-37-83", new Scanner(noble, log), log, FAST);
    const events: string[] = [];
    link.on("connected", () => events.push("connected"));
    link.on("disconnected", () => events.push("disconnected"));
    link.start();
    await link.waitConnected();

    expect(await link.read(SENSORTAG.data)).toEqual(Buffer.alloc(4)); // sensor off
    await link.write("F000AA02-0451-4000-B000-000000000000", Buffer.from([1]));
    expect(tag.enabled).toBe(true);
    expect(await link.read(SENSORTAG.data)).toEqual(encodeTemperature(25.125));

    const notified: Buffer[] = [];
    expect(link.canNotify(SENSORTAG.data)).toBe(true);
    await link.subscribe(SENSORTAG.data, d => notified.push(d));
    expect(tag.setTemperature(30)).toBe(true);
    await eventually("notification", () => notified.length === 1, 2000);
    expect(notified[0]).toEqual(encodeTemperature(30));

    tag.peripheral.disappear();
    await eventually("disconnect", () => events.includes("disconnected"), 2000);
    expect(link.connected).toBe(false);
    await expect(link.read(SENSORTAG.data)).rejects.toThrow(/not connected/);

    tag.peripheral.appear();
    await eventually("reconnect", () => events.filter(e => e === "connected").length === 2, 3000);
    expect(await link.read(SENSORTAG.data)).toEqual(encodeTemperature(30));
    expect(tag.peripheral.log.filter(l => l === "connect")).toHaveLength(2);
  });

  it("rejects operations on unknown characteristics with the uuid named", async () => {
    addSensorTag(radio, "A0:E6:F8:B6:37:84");
    const noble = loadNoble({ websocketUrl: radio.url });
    await waitPoweredOn(noble, 2000);
    link = new BleLink("A0:E6:F8:B6:37:84", new Scanner(noble, log), log, FAST);
    link.start();
    await link.waitConnected();
    await expect(link.read("2a19")).rejects.toThrow("has no characteristic 2a19");
  });

  it("drops the link when the adapter powers off and reconnects when it is back", async () => {
    const tag = addSensorTag(radio, "A0:E6:F8:B6:37:85");
    const noble = loadNoble({ websocketUrl: radio.url });
    await waitPoweredOn(noble, 2000);
    link = new BleLink("A0:E6:F8:B6:37:85", new Scanner(noble, log), log, FAST);
    const events: string[] = [];
    link.on("connected", () => events.push("connected"));
    link.on("disconnected", reason => events.push(`disconnected: ${reason}`));
    link.start();
    await link.waitConnected();
    radio.setPower(false);
    await eventually("drop", () => events.includes("disconnected: adapter poweredOff"), 3000);
    expect(link.connected).toBe(false);
    radio.setPower(true);
    await eventually("reconnect", () => events.filter(e => e === "connected").length === 2, 3000);
    expect(tag.peripheral.connected).toBe(true);
  });

  it("treats a GATT request that never answers as a dropped link", async () => {
    const tag = addSensorTag(radio, "A0:E6:F8:B6:37:86");
    const noble = loadNoble({ websocketUrl: radio.url });
    await waitPoweredOn(noble, 2000);
    link = new BleLink("A0:E6:F8:B6:37:86", new Scanner(noble, log), log, FAST);
    const events: string[] = [];
    link.on("connected", () => events.push("connected"));
    link.on("disconnected", reason => events.push(`disconnected: ${reason}`));
    link.start();
    await link.waitConnected();
    tag.peripheral.mute = true;
    await expect(link.read(SENSORTAG.data)).rejects.toThrow(/read of .* timed out after 500 ms/);
    await eventually("drop", () => events.some(e => e.includes("timed out")), 2000);
    tag.peripheral.mute = false;
    await eventually("reconnect", () => events.filter(e => e === "connected").length === 2, 3000);
    expect(await link.read(SENSORTAG.data)).toHaveLength(4);
  });
});
