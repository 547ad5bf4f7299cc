/**
 * The edge agent's configuration (one YAML file, `--config`). Field names follow edgecore's
 * config where an equivalent exists (`modules.edgeHub.heartbeat`, `modules.eventBus.mqttMode`,
 * `database.dataSource`, ...), so KubeEdge users find their way around.
 */

export const CONFIG_API_VERSION = "agent.kubeedge-ts.io/v1alpha1";
export const CONFIG_KIND = "EdgeAgent";

export type MqttMode = "internal" | "external" | "both";
export type LogLevel = "trace" | "debug" | "info" | "warn" | "error" | "fatal" | "silent";

export interface TlsFiles {
  enable: boolean;
  caFile?: string;
  certFile?: string;
  keyFile?: string;
}

/** EdgeHub (KubeEdge's edgehub): Kubernetes API with the node's own client certificate. */
export interface EdgeHubConfig {
  enable: boolean;
  /** kubeconfig with the node identity (system:node:<name>); server, CA, cert and key come from it. */
  kubeconfig: string;
  /** Overrides the kubeconfig's server URL. */
  server?: string;
  tlsCaFile?: string;
  tlsCertFile?: string;
  tlsPrivateKeyFile?: string;
  /** Seconds between Lease renewals. */
  heartbeat: number;
  leaseDurationSeconds: number;
  /** Reconnect backoff: first delay and cap, in milliseconds (exponential, with jitter). */
  reconnectInitialMs: number;
  reconnectMaxMs: number;
  /** Timeout of one API request, in milliseconds. */
  requestTimeoutMs: number;
  /** Renew the client certificate in the kubeconfig through a CSR before it expires. */
  rotateCertificates: boolean;
  /** Renew this many seconds before expiry; 0 = once 80% of the lifetime has passed. */
  certificateRenewBeforeSeconds: number;
  /** Lifetime asked for in the CSR (expirationSeconds, >= 600); 0 = the signer's default. */
  certificateValiditySeconds: number;
}

/** Pod lifecycle and node status (KubeEdge's edged). */
export interface EdgedConfig {
  enable: boolean;
  /** Seconds between Node status updates. */
  nodeStatusUpdateFrequency: number;
  /** CRI endpoint of the container runtime; empty = run no containers (pods only tracked). */
  remoteRuntimeEndpoint: string;
  /** Port of the kubelet API (container logs) on nodeIP; 0 = off. */
  port: number;
  /** Address reported on the Node; empty = first non-internal IPv4. */
  nodeIP: string;
  maxPods: number;
  /** Allocatable cpu/memory reported on the Node; empty = what this machine has. */
  cpu: string;
  memory: string;
  /** Extra labels put on the Node at registration. */
  labels: Record<string, string>;
  /** Image fs usage (%) that starts image garbage collection (kubelet's, 100 = never). */
  imageGCHighThresholdPercent: number;
  /** Image fs usage (%) image garbage collection frees down to. */
  imageGCLowThresholdPercent: number;
  /** The runtime's pod sandbox (pause) image: never garbage collected. */
  podSandboxImage: string;
}

export interface MetaManagerConfig {
  enable: boolean;
  /** Seconds between pod status syncs (KubeEdge's meta.sync.podstatus.interval). */
  podStatusSyncInterval: number;
}

export interface EventBusConfig {
  enable: boolean;
  mqttMode: MqttMode;
  /** Embedded broker (aedes) listen URL, used in mode internal|both. */
  mqttServerInternal: string;
  /** Embedded broker: also listen on this unix socket (mode 0660); empty: TCP only. */
  mqttUnixSocket: string;
  /** External broker (e.g. mosquitto) URL, used in mode external|both. */
  mqttServerExternal: string;
  mqttQOS: 0 | 1 | 2;
  mqttRetain: boolean;
  mqttSessionQueueSize: number;
  /** Credentials towards the external broker; the embedded broker accepts them as a mapper too. */
  mqttUsername?: string;
  mqttPassword?: string;
  tls: TlsFiles;
  /** Embedded broker: anonymous clients log in as a mapper (KubeEdge's own mappers). */
  allowAnonymous: boolean;
  /** Edge applications: their own credentials, read access, desired values of `writes`. */
  applications: EdgeApplication[];
  /** Embedded broker limits: an MQTT payload, a whole packet, a topic (characters). */
  maxPayloadBytes: number;
  maxPacketBytes: number;
  maxTopicLength: number;
  /** Embedded broker: PUBLISH packets one client may send per second (0 = no limit). */
  maxPublishesPerSecond: number;
  /** Embedded broker: payload bytes one client may publish per second (0 = no limit). */
  maxPublishBytesPerSecond: number;
}

export interface EdgeApplication {
  /** DNS label; the identity `app-<name>` and the Secret `kubeedge-mqtt-app-<name>`. */
  name: string;
  /** Only pods in this namespace get the application's Secret (any namespace when empty). */
  namespace?: string;
  /** Devices (wire id or `namespace/name`) whose desired values it may set. */
  writes: string[];
}

export interface DeviceTwinConfig {
  enable: boolean;
  /** A `twin/update` that would give a device more twins than this is refused (400). */
  maxTwinsPerDevice: number;
}

export interface ServerConfig {
  /** Local address of /healthz and /metrics. */
  address: string;
  /** 0 = any free port (logged at start). */
  port: number;
}

export interface AgentConfig {
  apiVersion: string;
  kind: string;
  nodeName: string;
  /** Directory for the database and other state. */
  dataDir: string;
  logLevel: LogLevel;
  /**
   * `secretsKeyFile`: the key that seals Secrets in the database, kept apart from it. Empty =
   * `<dataDir>.keys/secrets.key`.
   */
  database: {
    dataSource: string;
    secretsKeyFile: string;
    /** Outbox cap (store/outbox.ts): over it the oldest Events are dropped, nothing else. */
    outboxMaxRows: number;
    outboxMaxBytes: number;
  };
  server: ServerConfig;
  modules: {
    edgeHub: EdgeHubConfig;
    edged: EdgedConfig;
    metaManager: MetaManagerConfig;
    eventBus: EventBusConfig;
    deviceTwin: DeviceTwinConfig;
  };
}
