import { NODE_PROFILE_CONFIGMAP, profileConfigMapName } from "@kubeedge-ts/contract";
import { describe, expect, it } from "vitest";
import { localConfigMapName } from "./objects.js";

describe("localConfigMapName", () => {
  it("serves the node's own device profile under the node-relative name", () => {
    expect(localConfigMapName(NODE_PROFILE_CONFIGMAP, "edge-1")).toBe(
      profileConfigMapName("edge-1"),
    );
    expect(localConfigMapName(NODE_PROFILE_CONFIGMAP, "edge-2")).toBe(
      "device-profile-config-edge-2",
    );
  });

  it("leaves every other name alone, a node-named profile included", () => {
    expect(localConfigMapName("greeting", "edge-1")).toBe("greeting");
    expect(localConfigMapName("device-profile-config-edge-2", "edge-1")).toBe(
      "device-profile-config-edge-2",
    );
  });
});
