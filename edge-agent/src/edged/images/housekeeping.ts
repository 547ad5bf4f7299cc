import type { ModuleContext } from "../../beehive/module.js";
import { ModuleName, NODE_RUNTIME_RESOURCE, Operation } from "../../beehive/names.js";
import type { Cri } from "../cri/client.js";
import type { VersionInfo } from "../cri/types.js";
import { ImageGc } from "./image-gc.js";
import { type NodeRuntimeFacts, nodeImages } from "./node-images.js";

/** `containerd://1.6.20`, as kubelet reports nodeInfo.containerRuntimeVersion. */
export const runtimeVersion = (v: VersionInfo): string => `${v.runtimeName}://${v.runtimeVersion}`;

/**
 * The runtime's share of the Node: tells edgehub the runtime version and images (only when they
 * changed), and garbage-collects unused images by the configured thresholds.
 */
export class RuntimeHousekeeping {
  private readonly gc: ImageGc;
  private lastReport?: string;

  constructor(
    private readonly ctx: ModuleContext,
    private readonly cri: Cri,
    private readonly version: string,
  ) {
    const { edged } = ctx.config.modules;
    this.gc = new ImageGc({
      cri,
      highPercent: edged.imageGCHighThresholdPercent,
      lowPercent: edged.imageGCLowThresholdPercent,
      sandboxImage: edged.podSandboxImage,
      log: ctx.log,
    });
  }

  async reportRuntime(): Promise<void> {
    try {
      const facts: NodeRuntimeFacts = {
        containerRuntimeVersion: this.version,
        images: nodeImages(await this.cri.listImages()),
      };
      const json = JSON.stringify(facts);
      if (json === this.lastReport) return;
      this.lastReport = json;
      const router = { resource: NODE_RUNTIME_RESOURCE, operation: Operation.Update };
      this.ctx.send(ModuleName.EdgeHub, router, facts);
    } catch (err) {
      this.ctx.log.warn({ err }, "could not list the runtime's images");
    }
  }

  async collectImages(): Promise<void> {
    const removed = await this.gc
      .collect()
      .catch(err => void this.ctx.log.warn({ err }, "image garbage collection failed"));
    if (removed && removed.length > 0) await this.reportRuntime();
  }
}
