/**
 * The Bluetooth mapper process: one DeviceController per Bluetooth device in the profile (kept
 * in step with the file), the twin client, the runtime configuration topics, and /healthz +
 * /metrics. Devices whose profile entries did not change keep running across reloads.
 */
import type { BluetoothMapperTopicSuffix, DeviceProfile } from "@kubeedge-ts/contract";
import {
  createDeviceSelector,
  createMapperMetrics,
  parseProfile,
  startHttpServer,
  TwinClient,
  watchFile,
  type FileWatcher,
  type Logger,
  type MapperMetrics,
  type RunningHttpServer,
} from "@kubeedge-ts/mapper-common";
import { configForDevice } from "./actions/config-ops.js";
import { BleLink, DEFAULT_LINK_OPTIONS, type LinkOptions } from "./ble/link.js";
import type { Noble } from "./ble/noble-types.js";
import { Scanner } from "./ble/scanner.js";
import { defaultConfig } from "./config/default-config.js";
import type { MapperConfig } from "./config/types.js";
import { ConfigChannel } from "./controller/config-channel.js";
import { DeviceController } from "./controller/device-controller.js";
import type { RuntimeReply } from "./controller/runtime-reply.js";
import { bluetoothSpec, macOf, type BluetoothDevice } from "./profile/bluetooth-spec.js";

export interface BluetoothMapperOptions {
  profilePath: string;
  mqttUrl: string;
  mqttUsername?: string;
  mqttPassword?: string;
  /** The twin client's id; the configuration client appends `-config`. */
  mqttClientId?: string;
  /** From `--config`; without it every device gets `defaultConfig`. */
  config?: MapperConfig;
  noble: Noble;
  log: Logger;
  httpHost?: string;
  httpPort: number;
  link?: Partial<LinkOptions>;
}

const select = createDeviceSelector(bluetoothSpec);

export class BluetoothMapper {
  readonly controllers = new Map<string, DeviceController>();
  private readonly scanner: Scanner;
  private applying: Promise<unknown> = Promise.resolve();
  private loaded = false;
  private watcher?: FileWatcher;
  private http?: RunningHttpServer;

  private constructor(
    private readonly opts: BluetoothMapperOptions,
    readonly twin: TwinClient,
    readonly channel: ConfigChannel,
    readonly metrics: MapperMetrics,
  ) {
    this.scanner = new Scanner(opts.noble, opts.log.child({ component: "scanner" }));
    twin.onDesired((id, desired) => this.controllerFor(id)?.onDesired(desired));
    twin.onConnect(() => this.controllers.forEach(c => c.republish()));
  }

  static async start(opts: BluetoothMapperOptions): Promise<BluetoothMapper> {
    const metrics = createMapperMetrics();
    const twin = await TwinClient.connect({
      url: opts.mqttUrl,
      log: opts.log,
      username: opts.mqttUsername,
      password: opts.mqttPassword,
      clientId: opts.mqttClientId,
    });
    // The channel's handler needs the mapper, which needs the channel: late-bound through ref.
    const ref: { mapper?: BluetoothMapper } = {};
    const channel = await ConfigChannel.connect(
      opts.mqttUrl,
      opts.log,
      (id, suffix, payload) => ref.mapper!.onRuntimeConfig(id, suffix, payload),
      {
        username: opts.mqttUsername,
        password: opts.mqttPassword,
        ...(opts.mqttClientId ? { clientId: `${opts.mqttClientId}-config` } : {}),
      },
    );
    const mapper = new BluetoothMapper(opts, twin, channel, metrics);
    ref.mapper = mapper;
    mapper.http = await startHttpServer({
      host: opts.httpHost,
      port: opts.httpPort,
      registry: metrics.registry,
      health: () => mapper.health(),
    });
    mapper.watcher = watchFile(opts.profilePath, text => void mapper.applyProfileText(text), {
      onError: err => opts.log.warn({ err: err.message }, "profile watch problem"),
    });
    opts.log.info(
      { profile: opts.profilePath, mqtt: opts.mqttUrl, http: mapper.http.url },
      "bluetooth mapper started",
    );
    return mapper;
  }

  get httpUrl(): string {
    return this.http?.url ?? "";
  }

  get ready(): boolean {
    return this.loaded;
  }

  health(): { ok: boolean; [k: string]: unknown } {
    const mqtt = this.twin.connected && this.channel.connected;
    this.metrics.mqttConnected.set(mqtt ? 1 : 0);
    const devices = Object.fromEntries([...this.controllers].map(([id, c]) => [id, c.state]));
    return { ok: mqtt && this.loaded, mqtt, profileLoaded: this.loaded, devices };
  }

  applyProfileText(text: string): Promise<void> {
    const parsed = parseProfile(text);
    if (!parsed.ok) {
      this.metrics.profileLoads.inc({ result: "invalid" });
      this.opts.log.error(
        { reason: parsed.reason },
        "profile refused; keeping the current devices",
      );
      return Promise.resolve();
    }
    this.metrics.profileLoads.inc({ result: "ok" });
    const next = this.applying.then(() => this.reconcile(parsed.value));
    this.applying = next.catch(err => this.opts.log.error({ err }, "profile apply failed"));
    return next;
  }

  async stop(): Promise<void> {
    this.watcher?.close();
    await this.applying;
    await Promise.all([...this.controllers.values()].map(c => c.stop()));
    this.controllers.clear();
    await Promise.all([this.twin.close(), this.channel.close(), this.http?.close()]);
  }

  onRuntimeConfig(id: string, suffix: BluetoothMapperTopicSuffix, payload: unknown): RuntimeReply {
    const controller = this.controllerFor(id);
    if (!controller) return { code: 404, reason: `no Bluetooth device "${id}" on this mapper` };
    return controller.applyRuntime(suffix, payload);
  }

  /** By id, or by bare name for KubeEdge <= 1.16 topics when the name is unambiguous. */
  controllerFor(id: string): DeviceController | undefined {
    const exact = this.controllers.get(id);
    if (exact || id.includes("/")) return exact;
    const byName = [...this.controllers.values()].filter(c => c.device.name === id);
    return byName.length === 1 ? byName[0] : undefined;
  }

  /** Ids the runtime topics may name: every device id, and bare names that are unambiguous. */
  private topicIds(): string[] {
    const ids = [...this.controllers.keys()];
    const names = [...this.controllers.values()].map(c => c.device.name);
    const unique = names.filter(n => !ids.includes(n) && names.indexOf(n) === names.lastIndexOf(n));
    return [...ids, ...unique];
  }

  private selectDevices(profile: DeviceProfile): BluetoothDevice[] {
    const selection = select(profile);
    for (const p of selection.problems) {
      this.opts.log.error(p, `device ${p.device} refused: ${p.field} ${p.reason}`);
    }
    this.metrics.refusedDevices.set(
      { protocol: "bluetooth" },
      new Set(selection.problems.map(p => p.device)).size,
    );
    const model = this.opts.config?.deviceModelName;
    return selection.devices.filter(
      d => !model || d.model.name.toLowerCase() === model.toLowerCase(),
    );
  }

  private async reconcile(profile: DeviceProfile): Promise<void> {
    const devices = new Map(this.selectDevices(profile).map(d => [d.id, d]));
    for (const [id, c] of this.controllers) {
      const next = devices.get(id);
      if (next && next.fingerprint === c.device.fingerprint) {
        devices.delete(id);
        continue;
      }
      await c.stop();
      this.controllers.delete(id);
      this.opts.log.info({ device: id }, next ? "device changed; restarting" : "device removed");
    }
    for (const device of devices.values()) this.startDevice(device);
    await this.channel.serve(this.topicIds());
    this.metrics.devices.set({ protocol: "bluetooth" }, this.controllers.size);
    this.loaded = true;
  }

  private startDevice(device: BluetoothDevice): void {
    const log = this.opts.log.child({ device: device.id });
    const surface = {
      id: device.id,
      properties: device.model.properties.map(p => p.name),
      visitedProperties: device.properties.map(p => p.name),
    };
    let config = defaultConfig(device);
    if (this.opts.config) {
      const fitted = configForDevice(this.opts.config, surface);
      if (!fitted.ok) {
        log.error(
          { errors: fitted.errors },
          "the config file does not fit this device; it gets no actions",
        );
        config = { actions: [], schedules: [], watcher: { attributes: [] } };
      } else config = fitted.config;
    }
    const link = new BleLink(macOf(device), this.scanner, log.child({ component: "link" }), {
      ...DEFAULT_LINK_OPTIONS,
      ...this.opts.link,
    });
    const controller = new DeviceController(device, config, link, this.ports(), log);
    this.controllers.set(device.id, controller);
    controller.start();
  }

  private ports(): ConstructorParameters<typeof DeviceController>[3] {
    const m = this.metrics;
    return {
      twin: this.twin,
      publishScheduleResult: (id, r) => this.channel.publishScheduleResult(id, r),
      onAction: ({ kind, ok }) => {
        const counter = kind === "write" ? m.writes : m.reads;
        counter.inc({ protocol: "bluetooth", result: ok ? "ok" : "failed" });
      },
      onState: (device, state) => {
        for (const s of ["online", "offline"])
          m.deviceState.set({ device, state: s }, s === state ? 1 : 0);
      },
    };
  }
}
