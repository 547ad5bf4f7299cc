import { CriCodec, type CriService } from "./codec.js";
import { criSocketPath } from "./endpoint.js";
import { GrpcError } from "./grpc-status.js";
import { H2Channel } from "./h2-channel.js";
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

/** Milliseconds one call may take; pulls and stops get their own (longer) deadlines. */
const CALL_TIMEOUT_MS = 30_000;
const PULL_TIMEOUT_MS = 5 * 60_000;
/** A large ListContainers/ListImages answer fits (grpc-js's default limit is 4 MiB). */
const MAX_RECEIVE_MESSAGE_BYTES = 16 * 1024 * 1024;

/**
 * Connects to a CRI runtime at `endpoint` (`unix:///run/containerd/containerd.sock`, or the
 * socket's path). The transport is gRPC's unary calls on node:http2 (h2-channel.ts) and the
 * messages protobufjs codecs (codec.ts); both load here, not with the agent: an agent without a
 * runtime never loads them (idle memory is the agent's budget). A failed call rejects with an
 * Error whose `cause` is a GrpcError carrying the gRPC status code.
 */
export async function connectCri(endpoint: string): Promise<Cri> {
  const [channel, codec] = await Promise.all([
    H2Channel.open(criSocketPath(endpoint), { maxReceiveMessageBytes: MAX_RECEIVE_MESSAGE_BYTES }),
    CriCodec.load(),
  ]);
  return new GrpcCri(channel, codec);
}

class GrpcCri implements Cri {
  constructor(
    private readonly channel: H2Channel,
    private readonly codec: CriCodec,
  ) {}

  private async call<T>(
    service: CriService,
    method: string,
    req: object,
    timeoutMs = CALL_TIMEOUT_MS,
  ): Promise<T> {
    const rpc = this.codec.method(service, method);
    try {
      return rpc.decode(await this.channel.unary(rpc.path, rpc.encode(req), timeoutMs)) as T;
    } catch (err) {
      const details = (err instanceof GrpcError && err.details) || (err as Error).message;
      throw new Error(`CRI ${method}: ${details}`, { cause: err });
    }
  }

  version(): Promise<VersionInfo> {
    return this.call("RuntimeService", "Version", { version: "v1" });
  }

  async runPodSandbox(config: PodSandboxConfig): Promise<string> {
    const res = await this.call<{ podSandboxId: string }>("RuntimeService", "RunPodSandbox", {
      config,
    });
    return res.podSandboxId;
  }

  async stopPodSandbox(id: string): Promise<void> {
    await this.call("RuntimeService", "StopPodSandbox", { podSandboxId: id });
  }

  async removePodSandbox(id: string): Promise<void> {
    await this.call("RuntimeService", "RemovePodSandbox", { podSandboxId: id });
  }

  async podSandboxStatus(id: string): Promise<PodSandboxStatus> {
    const res = await this.call<{ status: PodSandboxStatus }>(
      "RuntimeService",
      "PodSandboxStatus",
      {
        podSandboxId: id,
      },
    );
    return res.status;
  }

  async listPodSandbox(filter: CriFilter = {}): Promise<PodSandbox[]> {
    const res = await this.call<{ items: PodSandbox[] }>("RuntimeService", "ListPodSandbox", {
      filter: { id: filter.id ?? "", labelSelector: filter.labelSelector ?? {} },
    });
    return res.items;
  }

  async createContainer(
    sandboxId: string,
    config: ContainerConfig,
    sandbox: PodSandboxConfig,
  ): Promise<string> {
    const res = await this.call<{ containerId: string }>("RuntimeService", "CreateContainer", {
      podSandboxId: sandboxId,
      config,
      sandboxConfig: sandbox,
    });
    return res.containerId;
  }

  async startContainer(id: string): Promise<void> {
    await this.call("RuntimeService", "StartContainer", { containerId: id });
  }

  async stopContainer(id: string, timeoutSeconds: number): Promise<void> {
    const timeoutMs = CALL_TIMEOUT_MS + timeoutSeconds * 1000;
    await this.call(
      "RuntimeService",
      "StopContainer",
      { containerId: id, timeout: timeoutSeconds },
      timeoutMs,
    );
  }

  async removeContainer(id: string): Promise<void> {
    await this.call("RuntimeService", "RemoveContainer", { containerId: id });
  }

  async listContainers(filter: CriFilter = {}): Promise<Container[]> {
    const res = await this.call<{ containers: Container[] }>("RuntimeService", "ListContainers", {
      filter: {
        id: filter.id ?? "",
        podSandboxId: filter.podSandboxId ?? "",
        labelSelector: filter.labelSelector ?? {},
      },
    });
    return res.containers;
  }

  async containerStatus(id: string): Promise<ContainerStatus> {
    const res = await this.call<{ status: ContainerStatus }>("RuntimeService", "ContainerStatus", {
      containerId: id,
    });
    return res.status;
  }

  execSync(id: string, cmd: string[], timeoutSeconds: number): Promise<ExecSyncResult> {
    const req = { containerId: id, cmd, timeout: timeoutSeconds };
    return this.call("RuntimeService", "ExecSync", req, CALL_TIMEOUT_MS + timeoutSeconds * 1000);
  }

  async listImages(): Promise<Image[]> {
    const res = await this.call<{ images: Image[] }>("ImageService", "ListImages", {});
    return res.images;
  }

  async imageStatus(image: string): Promise<Image | undefined> {
    const res = await this.call<{ image?: Image | null }>("ImageService", "ImageStatus", {
      image: { image },
    });
    return res.image ?? undefined;
  }

  async pullImage(image: string): Promise<string> {
    const res = await this.call<{ imageRef: string }>(
      "ImageService",
      "PullImage",
      { image: { image } },
      PULL_TIMEOUT_MS,
    );
    return res.imageRef;
  }

  async removeImage(image: string): Promise<void> {
    await this.call("ImageService", "RemoveImage", { image: { image } });
  }

  async imageFsInfo(): Promise<FilesystemUsage[]> {
    const res = await this.call<{ imageFilesystems: FilesystemUsage[] }>(
      "ImageService",
      "ImageFsInfo",
      {},
    );
    return res.imageFilesystems;
  }

  close(): void {
    this.channel.close();
  }
}
