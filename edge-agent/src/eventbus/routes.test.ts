import { describe, expect, it } from "vitest";
import { TopicRoute, clientUrl, parseListenUrl, routeTopic } from "./routes.js";
import { uploadEvent } from "./upload.js";

describe("routeTopic", () => {
  it.each([
    ["$hw/events/upload/default/thermo/x", TopicRoute.Upload],
    ["SYS/dis/upload_records", TopicRoute.Upload],
    ["SYS/dis/upload_records/abc", TopicRoute.Upload],
    ["$hw/events/device/default/thermo/twin/update", TopicRoute.Twin],
    ["$hw/events/node/n1/membership/get", TopicRoute.Twin],
  ])("%s → %s", (topic, route) => expect(routeTopic(topic)).toBe(route));
});

describe("listen and client URLs", () => {
  it.each([
    ["tcp://127.0.0.1:1884", { host: "127.0.0.1", port: 1884 }],
    ["mqtt://0.0.0.0:0", { host: "0.0.0.0", port: 0 }],
  ])("parses %s", (url, want) => expect(parseListenUrl(url)).toEqual(want));
  it.each(["ssl://127.0.0.1:1884", "tcp://127.0.0.1", "not a url"])("refuses %s", url =>
    expect(() => parseListenUrl(url)).toThrow(/MQTT server URL/),
  );
  it("speaks mqtt.js URLs for KubeEdge's tcp:// and ssl://", () => {
    expect(clientUrl("tcp://h:1883")).toBe("mqtt://h:1883");
    expect(clientUrl("ssl://h:8883")).toBe("mqtts://h:8883");
  });
});

describe("uploadEvent", () => {
  const find = (id: string) =>
    id === "ns/dev" || id === "dev" ? { namespace: "ns", name: "dev" } : undefined;
  it("names the device the topic names, in either id form", () => {
    expect(uploadEvent("$hw/events/upload/ns/dev/alarm", "{}", find).involvedObject).toMatchObject({
      kind: "Device",
      namespace: "ns",
      name: "dev",
    });
    expect(uploadEvent("$hw/events/upload/dev", "{}", find).involvedObject?.name).toBe("dev");
  });
  it("falls back to the node and truncates long payloads", () => {
    const e = uploadEvent("SYS/dis/upload_records", "x".repeat(5000), find);
    expect(e.involvedObject).toBeUndefined();
    expect(e.message.length).toBeLessThan(1100);
  });
});
