/** The shipped Deployment sample: what BLE needs from the node, and a config that parses. */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseAllDocuments } from "yaml";
import {
  BLUETOOTH_NODE_LABEL,
  DEFAULT_PROFILE_PATH,
  NODE_PROFILE_CONFIGMAP,
} from "@kubeedge-ts/contract";
import { parseConfigText } from "./config/config-file.js";

const SAMPLE = fileURLToPath(
  new URL("../../../samples/bluetooth-mapper-deployment.yaml", import.meta.url),
);

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe("samples/bluetooth-mapper-deployment.yaml", () => {
  const docs = parseAllDocuments(readFileSync(SAMPLE, "utf8")).map(d => d.toJS() as Doc);
  const deployment = docs.find(d => d.kind === "Deployment")!;
  const configMap = docs.find(d => d.kind === "ConfigMap")!;
  const pod = deployment.spec.template.spec;
  const container = pod.containers[0];

  it("lands only on nodes labelled bluetooth=true, in the host network", () => {
    expect(pod.nodeSelector).toEqual({ [BLUETOOTH_NODE_LABEL]: "true" });
    expect(pod.hostNetwork).toBe(true);
    expect(container.securityContext.capabilities.add).toEqual(
      expect.arrayContaining(["NET_ADMIN", "NET_RAW"]),
    );
    expect(pod.volumes.find((v: Doc) => v.name === "dbus").hostPath.path).toBe("/var/run/dbus");
  });

  it("mounts the node's device profile where the mapper reads it", () => {
    const volume = pod.volumes.find((v: Doc) => v.configMap?.name === NODE_PROFILE_CONFIGMAP);
    const mount = container.volumeMounts.find((m: Doc) => m.name === volume.name);
    expect(`${mount.mountPath}/deviceProfile.json`).toBe(DEFAULT_PROFILE_PATH);
    expect(container.args).toEqual(
      expect.arrayContaining(["--profile", DEFAULT_PROFILE_PATH, "--config"]),
    );
  });

  it("carries a config file the mapper accepts", () => {
    const parsed = parseConfigText(configMap.data["config.yaml"]);
    expect(parsed.ok ? parsed.value.actions.map(a => a.name) : parsed.errors).toEqual([
      "IRTemperatureConfiguration",
      "IRTemperatureData",
    ]);
  });
});
