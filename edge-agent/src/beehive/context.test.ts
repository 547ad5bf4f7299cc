import { describe, expect, it } from "vitest";
import { Beehive, SyncTimeoutError, UnknownModuleError } from "./context.js";
import { newMessage, newResponse } from "./message.js";

const route = { source: "test", resource: "default/pod/a", operation: "insert" };

describe("Beehive", () => {
  it("delivers to a module in send order", async () => {
    const bus = new Beehive();
    bus.addModule("a");
    for (let i = 0; i < 3; i++) bus.send("a", newMessage(route, i));
    const got = [await bus.receive("a"), await bus.receive("a"), await bus.receive("a")];
    expect(got.map(m => m?.content)).toEqual([0, 1, 2]);
  });

  it("wakes a receiver waiting before the message is sent", async () => {
    const bus = new Beehive();
    bus.addModule("a");
    const pending = bus.receive("a");
    bus.send("a", newMessage(route, "x"));
    expect((await pending)?.content).toBe("x");
  });

  it("refuses to send to an unknown module or group", () => {
    const bus = new Beehive();
    expect(() => bus.send("nope", newMessage(route, 1))).toThrow(UnknownModuleError);
    expect(() => bus.sendToGroup("nope", newMessage(route, 1))).toThrow(/no group named "nope"/);
    expect(() => bus.broadcast("nope", newMessage(route, 1))).not.toThrow();
  });

  it("sends to every member of a group with the group in the router", async () => {
    const bus = new Beehive();
    for (const m of ["a", "b", "c"]) bus.addModule(m);
    bus.addModuleGroup("a", "g");
    bus.addModuleGroup("b", "g");
    bus.sendToGroup("g", newMessage(route, "hello"));
    const [a, b] = [await bus.receive("a"), await bus.receive("b")];
    expect(a?.content).toBe("hello");
    expect(b?.router.group).toBe("g");
    expect(bus.depth("c")).toBe(0);
  });

  it("resolves sendSync with the response whose parentId is the request id", async () => {
    const bus = new Beehive();
    bus.addModule("server");
    const serve = (async () => {
      const req = await bus.receive("server");
      expect(req?.header.sync).toBe(true);
      bus.sendResponse(newMessage(route, "other", "unrelated-id"));
      bus.sendResponse(newResponse(req!, "server", { answer: 42 }));
    })();
    const resp = await bus.sendSync("server", newMessage(route, "q"), 1000);
    await serve;
    expect(resp.content).toEqual({ answer: 42 });
    expect(resp.router.operation).toBe("response");
  });

  it("settles sendSync when the response is sent with send() to the requester", async () => {
    const bus = new Beehive();
    bus.addModule("server");
    bus.addModule("client");
    const pending = bus.sendSync("server", newMessage({ ...route, source: "client" }, "q"), 1000);
    const req = await bus.receive("server");
    bus.send(req!.router.source, newResponse(req!, "server", "ok"));
    expect((await pending).content).toBe("ok");
    expect(bus.depth("client")).toBe(0);
  });

  it("times out a sendSync nobody answers and drops the late response", async () => {
    const bus = new Beehive();
    bus.addModule("server");
    const request = newMessage(route, "q");
    await expect(bus.sendSync("server", request, 30)).rejects.toThrow(SyncTimeoutError);
    const req = await bus.receive("server");
    expect(bus.sendResponse(newResponse(req!, "server", "late"))).toBe(false);
  });

  it("answers sendToGroupSync with the first response", async () => {
    const bus = new Beehive();
    bus.addModule("a");
    bus.addModuleGroup("a", "g");
    const pending = bus.sendToGroupSync("g", newMessage(route, "q"), 1000);
    const req = await bus.receive("a");
    bus.sendResponse(newResponse(req!, "a", "first"));
    expect((await pending).content).toBe("first");
  });

  it("cleanup removes the module from its groups and ends its receive loop", async () => {
    const bus = new Beehive();
    bus.addModule("a");
    bus.addModule("b");
    bus.addModuleGroup("a", "g");
    bus.addModuleGroup("b", "g");
    const seen: unknown[] = [];
    const loop = (async () => {
      for await (const m of bus.messages("a")) seen.push(m.content);
    })();
    bus.send("a", newMessage(route, 1));
    await new Promise(r => setImmediate(r));
    bus.cleanup("a");
    await loop;
    expect(seen).toEqual([1]);
    expect(bus.hasModule("a")).toBe(false);
    expect(bus.groupMembers("g")).toEqual(["b"]);
    expect(() => bus.send("a", newMessage(route, 2))).toThrow(UnknownModuleError);
  });

  it("refuses to add the same module twice", () => {
    const bus = new Beehive();
    bus.addModule("a");
    expect(() => bus.addModule("a")).toThrow(/already on the bus/);
  });
});
