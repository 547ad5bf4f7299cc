import type * as GrpcJs from "@grpc/grpc-js";
import type {
  Container,
  ContainerConfig,
  ContainerStatus,
  CriFilter,
  ExecSyncResult,
  FilesystemUsage,
  Image,
  PodSandbox,
  PodSandboxConfig,
  PodSandboxStatus,
  VersionInfo,
} from "./types.js";

/** The CRI calls edged makes (runtime.v1 RuntimeService + ImageService). */
export interface Cri {
  version(): Promise<VersionInfo>;
  runPodSandbox(config: PodSandboxConfig): Promise<string>;
  stopPodSandbox(id: string): Promise<void>;
  removePodSandbox(id: string): Promise<void>;
  podSandboxStatus(id: string): Promise<PodSandboxStatus>;
  listPodSandbox(filter?: CriFilter): Promise<PodSandbox[]>;
  createContainer(
    sandboxId: string,
    config: ContainerConfig,
    sandbox: PodSandboxConfig,
  ): Promise<string>;
  startContainer(id: string): Promise<void>;
  stopContainer(id: string, timeoutSeconds: number): Promise<void>;
  removeContainer(id: string): Promise<void>;
  listContainers(filter?: CriFilter): Promise<Container[]>;
  containerStatus(id: string): Promise<ContainerStatus>;
  execSync(id: string, cmd: string[], timeoutSeconds: number): Promise<ExecSyncResult>;
  listImages(): Promise<Image[]>;
  /** The image if present, else undefined. */
  imageStatus(image: string): Promise<Image | undefined>;
  pullImage(image: string): Promise<string>;
  removeImage(image: string): Promise<void>;
  imageFsInfo(): Promise<FilesystemUsage[]>;
  close(): void;
}

type Call = (
  req: unknown,
  opts: GrpcJs.CallOptions,
  cb: (err: GrpcJs.ServiceError | null, res: unknown) => void,
) => void;
type GrpcClient = GrpcJs.Client & Record<string, Call>;

/** Milliseconds one call may take; pulls and stops get their own (longer) deadlines. */
const CALL_TIMEOUT_MS = 30_000;
const PULL_TIMEOUT_MS = 5 * 60_000;

/**
 * Connects to a CRI runtime at `endpoint` (`unix:///run/containerd/containerd.sock`).
 * grpc-js, proto-loader and protobufjs are imported here, not at the top: an agent without
 * a runtime never loads them (idle memory is the agent's budget).
 */
export async function connectCri(endpoint: string): Promise<Cri> {
  const [grpc, loader, protobuf, { CRI_API_PROTO }] = await Promise.all([
    import("@grpc/grpc-js"),
    import("@grpc/proto-loader"),
    import("protobufjs"),
    import("./api-proto.js"),
  ]);
  const root = protobuf.default.parse(CRI_API_PROTO, { keepCase: false }).root;
  const definition = loader.fromJSON(root.toJSON(), {
    longs: Number,
    enums: String,
    defaults: true,
    arrays: true,
    objects: true,
  });
  const pkg = grpc.loadPackageDefinition(definition) as unknown as {
    runtime: { v1: Record<string, typeof GrpcJs.Client> };
  };
  const target = endpoint.startsWith("/") ? `unix://${endpoint}` : endpoint;
  const credentials = grpc.credentials.createInsecure();
  const options = { "grpc.max_receive_message_length": 16 * 1024 * 1024 };
  const runtime = new pkg.runtime.v1.RuntimeService!(target, credentials, options) as GrpcClient;
  const image = new pkg.runtime.v1.ImageService!(target, credentials, options) as GrpcClient;
  return new GrpcCri(runtime, image);
}

class GrpcCri implements Cri {
  constructor(
    private readonly runtime: GrpcClient,
    private readonly images: GrpcClient,
  ) {}

  private call<T>(
    client: GrpcClient,
    method: string,
    req: unknown,
    timeoutMs = CALL_TIMEOUT_MS,
  ): Promise<T> {
    return new Promise((resolve, reject) => {
      client[method]!.call(client, req, { deadline: Date.now() + timeoutMs }, (err, res) => {
        if (err) reject(new Error(`CRI ${method}: ${err.details || err.message}`, { cause: err }));
        else resolve(res as T);
      });
    });
  }

  version(): Promise<VersionInfo> {
    return this.call(this.runtime, "Version", { version: "v1" });
  }

  async runPodSandbox(config: PodSandboxConfig): Promise<string> {
    const res = await this.call<{ podSandboxId: string }>(this.runtime, "RunPodSandbox", {
      config,
    });
    return res.podSandboxId;
  }

  async stopPodSandbox(id: string): Promise<void> {
    await this.call(this.runtime, "StopPodSandbox", { podSandboxId: id });
  }

  async removePodSandbox(id: string): Promise<void> {
    await this.call(this.runtime, "RemovePodSandbox", { podSandboxId: id });
  }

  async podSandboxStatus(id: string): Promise<PodSandboxStatus> {
    const res = await this.call<{ status: PodSandboxStatus }>(this.runtime, "PodSandboxStatus", {
      podSandboxId: id,
    });
    return res.status;
  }

  async listPodSandbox(filter: CriFilter = {}): Promise<PodSandbox[]> {
    const res = await this.call<{ items: PodSandbox[] }>(this.runtime, "ListPodSandbox", {
      filter: { id: filter.id ?? "", labelSelector: filter.labelSelector ?? {} },
    });
    return res.items;
  }

  async createContainer(
    sandboxId: string,
    config: ContainerConfig,
    sandbox: PodSandboxConfig,
  ): Promise<string> {
    const res = await this.call<{ containerId: string }>(this.runtime, "CreateContainer", {
      podSandboxId: sandboxId,
      config,
      sandboxConfig: sandbox,
    });
    return res.containerId;
  }

  async startContainer(id: string): Promise<void> {
    await this.call(this.runtime, "StartContainer", { containerId: id });
  }

  async stopContainer(id: string, timeoutSeconds: number): Promise<void> {
    const timeoutMs = CALL_TIMEOUT_MS + timeoutSeconds * 1000;
    await this.call(
      this.runtime,
      "StopContainer",
      { containerId: id, timeout: timeoutSeconds },
      timeoutMs,
    );
  }

  async removeContainer(id: string): Promise<void> {
    await this.call(this.runtime, "RemoveContainer", { containerId: id });
  }

  async listContainers(filter: CriFilter = {}): Promise<Container[]> {
    const res = await this.call<{ containers: Container[] }>(this.runtime, "ListContainers", {
      filter: {
        id: filter.id ?? "",
        podSandboxId: filter.podSandboxId ?? "",
        labelSelector: filter.labelSelector ?? {},
      },
    });
    return res.containers;
  }

  async containerStatus(id: string): Promise<ContainerStatus> {
    const res = await this.call<{ status: ContainerStatus }>(this.runtime, "ContainerStatus", {
      containerId: id,
    });
    return res.status;
  }

  execSync(id: string, cmd: string[], timeoutSeconds: number): Promise<ExecSyncResult> {
    const req = { containerId: id, cmd, timeout: timeoutSeconds };
    return this.call(this.runtime, "ExecSync", req, CALL_TIMEOUT_MS + timeoutSeconds * 1000);
  }

  async listImages(): Promise<Image[]> {
    const res = await this.call<{ images: Image[] }>(this.images, "ListImages", {});
    return res.images;
  }

  async imageStatus(image: string): Promise<Image | undefined> {
    const res = await this.call<{ image?: Image | null }>(this.images, "ImageStatus", {
      image: { image },
    });
    return res.image ?? undefined;
  }

  async pullImage(image: string): Promise<string> {
    const res = await this.call<{ imageRef: string }>(
      this.images,
      "PullImage",
      { image: { image } },
      PULL_TIMEOUT_MS,
    );
    return res.imageRef;
  }

  async removeImage(image: string): Promise<void> {
    await this.call(this.images, "RemoveImage", { image: { image } });
  }

  async imageFsInfo(): Promise<FilesystemUsage[]> {
    const res = await this.call<{ imageFilesystems: FilesystemUsage[] }>(
      this.images,
      "ImageFsInfo",
      {},
    );
    return res.imageFilesystems;
  }

  close(): void {
    this.runtime.close();
    this.images.close();
  }
}
