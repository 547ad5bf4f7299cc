import protobuf from "protobufjs";
import { beforeAll, describe, expect, it } from "vitest";
import { CRI_API_PROTO } from "./api-proto.js";
import { CriCodec } from "./codec.js";

/** The wire side, built independently of the codec from the same .proto. */
const wire = protobuf.parse(CRI_API_PROTO, { keepCase: true }).root;
const encodeWire = (type: string, value: object): Buffer =>
  Buffer.from(wire.lookupType(`runtime.v1.${type}`).encode(value).finish());
const decodeWire = (type: string, bytes: Uint8Array): Record<string, unknown> =>
  wire
    .lookupType(`runtime.v1.${type}`)
    .toObject(wire.lookupType(`runtime.v1.${type}`).decode(bytes), {
      longs: Number,
      enums: String,
    });

let codec: CriCodec;
beforeAll(async () => {
  codec = await CriCodec.load();
});

describe("CRI message codec", () => {
  it("names each RPC's HTTP/2 path by package, service and method", () => {
    expect(codec.method("RuntimeService", "RunPodSandbox").path).toBe(
      "/runtime.v1.RuntimeService/RunPodSandbox",
    );
    expect(codec.method("ImageService", "PullImage").path).toBe(
      "/runtime.v1.ImageService/PullImage",
    );
    expect(() => codec.method("ImageService", "RunPodSandbox")).toThrow(/no method/);
  });

  it("encodes camelCase fields, enum names, int64 numbers and bytes at their field numbers", () => {
    const bytes = codec.method("RuntimeService", "CreateContainer").encode({
      podSandboxId: "sb1",
      config: {
        metadata: { name: "main", attempt: 2 },
        envs: [{ key: "A", value: Buffer.from("b=c") }],
        linux: {
          resources: { cpuQuota: 50_000, memoryLimitInBytes: 8 * 2 ** 30 },
          securityContext: { namespaceOptions: { network: "NODE", pid: "CONTAINER" } },
        },
      },
    });
    const got = decodeWire("CreateContainerRequest", bytes) as {
      pod_sandbox_id: string;
      config: {
        metadata: object;
        envs: { value: Uint8Array }[];
        linux: { resources: object; security_context: { namespace_options: object } };
      };
    };
    expect(got.pod_sandbox_id).toBe("sb1");
    expect(got.config.metadata).toEqual({ name: "main", attempt: 2 });
    expect(Buffer.from(got.config.envs[0]!.value).toString()).toBe("b=c");
    expect(got.config.linux.resources).toEqual({
      cpu_quota: 50_000,
      memory_limit_in_bytes: 8 * 2 ** 30,
    });
    expect(got.config.linux.security_context.namespace_options).toEqual({
      network: "NODE",
      pid: "CONTAINER",
    });
  });

  it("decodes with defaults filled in, enums as names and int64 as numbers", () => {
    const bytes = encodeWire("ContainerStatusResponse", {
      status: {
        id: "c1",
        state: 1,
        // nanoseconds since the epoch (2025-12-01), past 2^53 yet exact as a double
        created_at: 1_764_547_200_000_000_000,
        labels: { "io.kubernetes.pod.uid": "u1" },
      },
    });
    const res = codec.method("RuntimeService", "ContainerStatus").decode(bytes) as {
      status: Record<string, unknown>;
      info: object;
    };
    expect(res.status).toMatchObject({
      id: "c1",
      state: "CONTAINER_RUNNING",
      createdAt: 1_764_547_200_000_000_000,
      startedAt: 0,
      exitCode: 0,
      reason: "",
      labels: { "io.kubernetes.pod.uid": "u1" },
      annotations: {},
      mounts: [],
    });
    expect(res.info).toEqual({});
  });

  it("decodes bytes as Buffers and an absent message as null", () => {
    const exec = codec
      .method("RuntimeService", "ExecSync")
      .decode(encodeWire("ExecSyncResponse", { stdout: Buffer.from("ok\n"), exit_code: 3 })) as {
      stdout: Buffer;
      stderr: Buffer;
      exitCode: number;
    };
    expect(Buffer.isBuffer(exec.stdout)).toBe(true);
    expect(exec.stdout.toString()).toBe("ok\n");
    expect(exec.stderr.length).toBe(0);
    expect(exec.exitCode).toBe(3);
    const status = codec.method("ImageService", "ImageStatus").decode(Buffer.alloc(0));
    expect(status).toEqual({ image: null, info: {} });
  });
});
