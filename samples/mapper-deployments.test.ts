/**
 * The mapper Deployment samples work unchanged on an edge node with the agent's defaults: the
 * image `kubeedge-ts images build` makes, the embedded broker and login from the node, the node's
 * profile under the node-relative name, and probes that keep a mapper running while the
 * broker is away (liveness asks only whether the process answers).
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { DEFAULT_PROFILE_PATH, NODE_PROFILE_CONFIGMAP } from "@kubeedge-ts/contract";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { MQTT_MAPPER_SECRET } from "../edge-agent/src/edged/spec/mqtt-secrets.js";
import { BLUETOOTH_MAPPER_IMAGE, MODBUS_MAPPER_IMAGE } from "../local/images/index.js";

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const cases: [string, string][] = [
  ["modbus-mapper-deployment.yaml", MODBUS_MAPPER_IMAGE],
  ["bluetooth-mapper-deployment.yaml", BLUETOOTH_MAPPER_IMAGE],
];

describe.each(cases)("samples/%s", (file, image) => {
  const text = readFileSync(fileURLToPath(new URL(file, import.meta.url)), "utf8");
  const deployment = parseAllDocuments(text)
    .map(d => d.toJS() as Doc)
    .find(d => d.kind === "Deployment")!;
  const pod = deployment.spec.template.spec;
  const container = pod.containers[0];
  const env = Object.fromEntries(
    (container.env as { name: string; value?: string }[]).map(e => [e.name, e.value]),
  );

  it("runs the image kubeedge-ts images build makes, without pulling", () => {
    expect(container.image).toBe(image);
    expect(container.imagePullPolicy).toBe("IfNotPresent");
  });

  it("logs in to the agent's embedded broker with the node's reserved mapper Secret", () => {
    expect(pod.hostNetwork).toBe(true);
    const fromSecret = (name: string): unknown =>
      (container.env as Doc[]).find(e => e.name === name)?.valueFrom?.secretKeyRef;
    expect(fromSecret("MAPPER_MQTT_URL")).toEqual({ name: MQTT_MAPPER_SECRET, key: "url" });
    expect(fromSecret("MAPPER_MQTT_USERNAME")).toEqual({
      name: MQTT_MAPPER_SECRET,
      key: "username",
    });
    expect(fromSecret("MAPPER_MQTT_PASSWORD")).toEqual({
      name: MQTT_MAPPER_SECRET,
      key: "password",
    });
    expect(container.args).not.toContain("--mqtt");
  });

  it("mounts the node's profile under the node-relative name, where the mapper reads it", () => {
    const volume = pod.volumes.find((v: Doc) => v.configMap?.name === NODE_PROFILE_CONFIGMAP);
    expect(volume).toBeDefined();
    const mount = container.volumeMounts.find((m: Doc) => m.name === volume.name);
    expect(`${mount.mountPath}/deviceProfile.json`).toBe(DEFAULT_PROFILE_PATH);
  });

  it("probes liveness on /healthz and readiness on /readyz of the mapper's HTTP port", () => {
    const port = Number(env.MAPPER_HTTP_PORT);
    expect(container.livenessProbe.httpGet).toMatchObject({ path: "/healthz", port });
    expect(container.readinessProbe.httpGet).toMatchObject({ path: "/readyz", port });
  });
});
