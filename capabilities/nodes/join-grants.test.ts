import { describe, expect, it } from "vitest";
import { forgetJoinedEntryPatch, JOIN_NOTE_PREFIX } from "./join-grants.js";

const joined = `${JOIN_NOTE_PREFIX}system:bootstrap:abcdef (CSR csr-1)`;

describe("forgetJoinedEntryPatch", () => {
  it("removes an entry the module wrote, guarded by its current value", () => {
    expect(forgetJoinedEntryPatch({ pi: joined, other: "admin" }, "pi")).toEqual([
      { op: "test", path: "/data/pi", value: joined },
      { op: "remove", path: "/data/pi" },
    ]);
  });

  it("keeps entries an admin wrote, and does nothing for unlisted nodes", () => {
    expect(forgetJoinedEntryPatch({ pi: "lab bench 3" }, "pi")).toBeUndefined();
    expect(forgetJoinedEntryPatch({ pi: "" }, "pi")).toBeUndefined();
    expect(forgetJoinedEntryPatch({ other: joined }, "pi")).toBeUndefined();
    expect(forgetJoinedEntryPatch(undefined, "pi")).toBeUndefined();
  });

  it("escapes the node name as a JSON pointer", () => {
    expect(forgetJoinedEntryPatch({ "a/b~c": joined }, "a/b~c")?.[1].path).toBe("/data/a~1b~0c");
  });
});
