import { describe, expect, it } from "vitest";
import type { ContainerSpec, Pod } from "../pod.js";
import { malformedPodRef, parsePod } from "../pod.js";
import { containerConfig } from "./container-config.js";
import { expand, resolveEnv } from "./env.js";
import { configMapData, secretData, type ObjectSource } from "./objects.js";
import { milliCpu, parseQuantity } from "./quantity.js";
import { linuxResources, qosClass } from "./resources.js";
import { sandboxConfig } from "./sandbox-config.js";

const pod = (c: Partial<ContainerSpec> = {}, spec: Partial<Pod["spec"]> = {}): Pod => ({
  metadata: { name: "web", namespace: "apps", uid: "u1", labels: { app: "web" } },
  spec: {
    nodeName: "edge-1",
    containers: [{ name: "main", image: "docker.io/x/y:1", ...c }],
    ...spec,
  },
});

const objects: ObjectSource = {
  configMap: (ns, name) =>
    ns === "apps" && name === "cfg"
      ? configMapData({ metadata: { resourceVersion: "7" }, data: { MODE: "fast", LEVEL: "3" } })
      : undefined,
  secret: (ns, name) =>
    name === "creds"
      ? secretData({ data: { PASSWORD: Buffer.from("s3cret").toString("base64") } })
      : undefined,
};
const fields = { hostIP: "192.0.2.1", podIP: "10.88.0.9" };

describe("quantities and resources", () => {
  it.each([
    ["500m", 0.5],
    ["2", 2],
    ["1.5", 1.5],
    ["64Mi", 64 * 2 ** 20],
    ["1G", 1e9],
    ["1e3", 1000],
    ["bogus", undefined],
  ])("parseQuantity(%j) = %j", (q, v) => {
    expect(parseQuantity(q)).toBe(v);
  });

  it.each([
    ["100m", 100],
    ["0.1", 100],
    ["1", 1000],
  ])("milliCpu(%j) = %i", (q, v) => expect(milliCpu(q)).toBe(v));

  it.each([
    [{}, { cpuShares: 2, cpuPeriod: 0, cpuQuota: 0, memoryLimitInBytes: 0 }],
    [
      { requests: { cpu: "250m" }, limits: { cpu: "500m", memory: "64Mi" } },
      { cpuShares: 256, cpuPeriod: 100_000, cpuQuota: 50_000, memoryLimitInBytes: 67108864 },
    ],
    [
      { limits: { cpu: "1" } },
      { cpuShares: 1024, cpuPeriod: 100_000, cpuQuota: 100_000, memoryLimitInBytes: 0 },
    ],
  ])("linuxResources(%j)", (resources, expected) => {
    expect(linuxResources(resources)).toEqual(expected);
  });

  it.each<[ContainerSpec["resources"], string]>([
    [undefined, "BestEffort"],
    [{ requests: { cpu: "100m" } }, "Burstable"],
    [{ limits: { cpu: "1", memory: "1Gi" } }, "Guaranteed"],
    [{ requests: { cpu: "1", memory: "1Gi" }, limits: { cpu: "2", memory: "1Gi" } }, "Burstable"],
  ])("qosClass(%j) = %s", (resources, qos) => {
    expect(qosClass([{ name: "c", image: "i", ...(resources ? { resources } : {}) }])).toBe(qos);
  });
});

describe("env", () => {
  it("resolves values, configMap/secret keys, fieldRefs and envFrom, expanding $(VAR)", () => {
    const c: Partial<ContainerSpec> = {
      envFrom: [{ configMapRef: { name: "cfg" }, prefix: "CFG_" }],
      env: [
        { name: "GREETING", value: "hi $(CFG_MODE) $$(LITERAL)" },
        { name: "PW", valueFrom: { secretKeyRef: { name: "creds", key: "PASSWORD" } } },
        { name: "LEVEL", valueFrom: { configMapKeyRef: { name: "cfg", key: "LEVEL" } } },
        { name: "POD", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } },
        { name: "APP", valueFrom: { fieldRef: { fieldPath: "metadata.labels['app']" } } },
        { name: "IP", valueFrom: { fieldRef: { fieldPath: "status.podIP" } } },
        { name: "NODE", valueFrom: { fieldRef: { fieldPath: "spec.nodeName" } } },
      ],
    };
    const p = pod(c);
    expect(resolveEnv(p, p.spec.containers[0]!, objects, fields)).toEqual({
      env: [
        { key: "CFG_MODE", value: "fast" },
        { key: "CFG_LEVEL", value: "3" },
        { key: "GREETING", value: "hi fast $(LITERAL)" },
        { key: "PW", value: "s3cret" },
        { key: "LEVEL", value: "3" },
        { key: "POD", value: "web" },
        { key: "APP", value: "web" },
        { key: "IP", value: "10.88.0.9" },
        { key: "NODE", value: "edge-1" },
      ],
    });
  });

  it.each<[string, ContainerSpec["env"], string | undefined]>([
    [
      "a missing configmap",
      [{ name: "A", valueFrom: { configMapKeyRef: { name: "nope", key: "k" } } }],
      'configmap "nope" not found',
    ],
    [
      "a missing key",
      [{ name: "A", valueFrom: { configMapKeyRef: { name: "cfg", key: "k" } } }],
      "couldn't find key k in configmap apps/cfg",
    ],
    [
      "an optional missing key",
      [{ name: "A", valueFrom: { configMapKeyRef: { name: "cfg", key: "k", optional: true } } }],
      undefined,
    ],
  ])("reports %s as a config error", (_what, env, error) => {
    const p = pod({ env: env! });
    expect(resolveEnv(p, p.spec.containers[0]!, objects, fields).error).toBe(error);
  });

  it("leaves unknown $(VARS) as written", () => {
    expect(expand("$(A) $(B)", new Map([["A", "1"]]))).toBe("1 $(B)");
  });
});

describe("CRI configs", () => {
  it("labels the sandbox for adoption and shares the host network when asked", () => {
    const s = sandboxConfig(pod({}, { hostNetwork: true }), {
      nodeName: "edge-1",
      logRoot: "/logs",
      attempt: 2,
    });
    expect(s.metadata).toEqual({ name: "web", uid: "u1", namespace: "apps", attempt: 2 });
    expect(s.hostname).toBe("");
    expect(s.logDirectory).toBe("/logs/apps_web_u1");
    expect(s.labels).toMatchObject({
      app: "web",
      "io.kubernetes.pod.uid": "u1",
      "io.kubernetes.pod.name": "web",
      "io.kubernetes.pod.namespace": "apps",
    });
    expect(s.linux.securityContext.namespaceOptions.network).toBe("NODE");
  });

  it("maps the container spec: command, args, workingDir, security context, log path", () => {
    const p = pod({
      command: ["sh", "-c"],
      args: ["echo $(MSG)"],
      workingDir: "/work",
      securityContext: {
        privileged: true,
        runAsUser: 1000,
        capabilities: { add: ["NET_ADMIN"], drop: ["ALL"] },
      },
    });
    const env = [{ key: "MSG", value: "hello" }];
    const c = containerConfig(p, p.spec.containers[0]!, {
      nodeName: "edge-1",
      kind: "regular",
      restartCount: 3,
      env,
      mounts: [],
      devices: [],
    });
    expect([c.command, c.args, c.workingDir, c.logPath]).toEqual([
      ["sh", "-c"],
      ["echo hello"],
      "/work",
      "main/3.log",
    ]);
    expect(c.metadata).toEqual({ name: "main", attempt: 3 });
    expect(c.envs).toEqual([{ key: "MSG", value: Buffer.from("hello") }]);
    expect(c.labels["io.kubernetes.container.name"]).toBe("main");
    expect(c.annotations["io.kubernetes.container.restartCount"]).toBe("3");
    expect(c.linux.securityContext).toMatchObject({
      privileged: true,
      runAsUser: { value: 1000 },
      capabilities: { addCapabilities: ["NET_ADMIN"], dropCapabilities: ["ALL"] },
    });
  });
});

describe("parsePod", () => {
  it.each([
    [null, "no metadata"],
    [{ metadata: { name: "x" } }, "metadata.name/uid missing"],
    [{ metadata: { name: "x", uid: "u" }, spec: { containers: [] } }, "spec.containers is empty"],
    [
      { metadata: { name: "x", uid: "u" }, spec: { containers: [{ name: "c" }] } },
      "spec.containers[0] (c) has no image",
    ],
    [
      {
        metadata: { name: "x", uid: "u" },
        spec: { containers: [{ name: "c", image: "i", env: "x" }] },
      },
      "spec.containers[0].env not a list",
    ],
  ])("refuses %j: %s", (raw, error) => {
    expect(parsePod(raw)).toEqual({ error });
  });

  it("defaults the namespace", () => {
    const parsed = parsePod({
      metadata: { name: "x", uid: "u" },
      spec: { containers: [{ name: "c", image: "i" }] },
    });
    expect("pod" in parsed && parsed.pod.metadata.namespace).toBe("default");
  });
});

describe("malformedPodRef", () => {
  it("names what it can read of a refused pod", () => {
    const raw = { metadata: { name: "x", uid: 7, resourceVersion: "3" }, spec: "?" };
    expect(malformedPodRef(raw)).toEqual({
      name: "x",
      namespace: "default",
      uid: "",
      resourceVersion: "3",
    });
    expect(malformedPodRef("garbage").name).toBe("");
  });
});
