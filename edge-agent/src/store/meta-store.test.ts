import { describe, expect, it } from "vitest";
import { openDatabase } from "./database.js";
import { MetaStore } from "./meta-store.js";

const obj = (name: string, rv: string, ns = "default") => ({
  metadata: { name, namespace: ns, uid: `uid-${name}`, resourceVersion: rv, generation: 2 },
  data: { rv },
});

describe("MetaStore", () => {
  it("inserts, updates by resourceVersion, lists and deletes", () => {
    const meta = new MetaStore(openDatabase(":memory:"));
    expect(meta.put("ConfigMap", obj("a", "1"))).toBe("inserted");
    expect(meta.put("ConfigMap", obj("a", "1"))).toBe("unchanged");
    expect(meta.put("ConfigMap", obj("a", "2"))).toBe("updated");
    meta.put("ConfigMap", obj("b", "1", "other"));
    const a = meta.get("ConfigMap", "default", "a");
    expect(a).toMatchObject({
      uid: "uid-a",
      resourceVersion: "2",
      generation: 2,
      object: { data: { rv: "2" } },
    });
    expect(meta.list("ConfigMap").map(o => o.name)).toEqual(["a", "b"]);
    expect(meta.list("ConfigMap", "other").map(o => o.name)).toEqual(["b"]);
    expect(meta.count("ConfigMap")).toBe(2);
    expect(meta.delete("ConfigMap", "default", "a")).toBe(true);
    expect(meta.delete("ConfigMap", "default", "a")).toBe(false);
  });

  it("refuses an object without a name", () => {
    const meta = new MetaStore(openDatabase(":memory:"));
    expect(() => meta.put("Pod", { metadata: {} })).toThrow(/without metadata.name/);
  });

  it("remembers watch resourceVersions", () => {
    const meta = new MetaStore(openDatabase(":memory:"));
    expect(meta.watchVersion("pods")).toBeUndefined();
    meta.setWatchVersion("pods", "10");
    meta.setWatchVersion("pods", "11");
    expect(meta.watchVersion("pods")).toBe("11");
    meta.clearWatchVersion("pods");
    expect(meta.watchVersion("pods")).toBeUndefined();
  });
});
