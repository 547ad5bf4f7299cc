import { DEFAULT_OUTBOX_LIMITS } from "../store/outbox.js";
import { CONFIG_API_VERSION, CONFIG_KIND, type AgentConfig } from "./types.js";

export const DEFAULT_DATA_DIR = "/var/lib/kubeedge-ts";
export const DEFAULT_MQTT_INTERNAL = "tcp://127.0.0.1:1884";
export const DEFAULT_MQTT_EXTERNAL = "tcp://127.0.0.1:1883";
export const DEFAULT_HEALTHZ_PORT = 10350;

/** Every field with its default. `database.dataSource` empty = `<dataDir>/edge.db`. */
export function defaultConfig(): AgentConfig {
  return {
    apiVersion: CONFIG_API_VERSION,
    kind: CONFIG_KIND,
    nodeName: "",
    dataDir: DEFAULT_DATA_DIR,
    logLevel: "info",
    database: {
      dataSource: "",
      secretsKeyFile: "",
      outboxMaxRows: DEFAULT_OUTBOX_LIMITS.maxRows,
      outboxMaxBytes: DEFAULT_OUTBOX_LIMITS.maxBytes,
    },
    server: { address: "127.0.0.1", port: DEFAULT_HEALTHZ_PORT },
    modules: {
      edgeHub: {
        enable: true,
        kubeconfig: "",
        server: "",
        tlsCaFile: "",
        tlsCertFile: "",
        tlsPrivateKeyFile: "",
        heartbeat: 10,
        leaseDurationSeconds: 40,
        reconnectInitialMs: 500,
        reconnectMaxMs: 30_000,
        requestTimeoutMs: 10_000,
        rotateCertificates: false,
        certificateRenewBeforeSeconds: 0,
        certificateValiditySeconds: 0,
      },
      edged: {
        enable: true,
        nodeStatusUpdateFrequency: 10,
        remoteRuntimeEndpoint: "unix:///run/containerd/containerd.sock",
        port: 10250,
        nodeIP: "",
        maxPods: 110,
        cpu: "",
        memory: "",
        labels: {},
        imageGCHighThresholdPercent: 85,
        imageGCLowThresholdPercent: 80,
        podSandboxImage: "docker.io/kubeedge-ts/pause:3.10",
      },
      metaManager: { enable: true, podStatusSyncInterval: 60 },
      eventBus: {
        enable: true,
        mqttMode: "internal",
        mqttServerInternal: DEFAULT_MQTT_INTERNAL,
        mqttUnixSocket: "",
        mqttServerExternal: DEFAULT_MQTT_EXTERNAL,
        mqttQOS: 0,
        mqttRetain: false,
        mqttSessionQueueSize: 100,
        mqttUsername: "",
        mqttPassword: "",
        tls: { enable: false, caFile: "", certFile: "", keyFile: "" },
        allowAnonymous: false,
        applications: [],
        maxPayloadBytes: 65_536,
        maxPacketBytes: 66_560,
        maxTopicLength: 512,
        maxPublishesPerSecond: 1000,
        maxPublishBytesPerSecond: 1_048_576,
      },
      deviceTwin: { enable: true, maxTwinsPerDevice: 256 },
    },
  };
}

/** One line of documentation per field, printed by `--defaultconfig`. */
export const FIELD_DOCS: Record<string, string> = {
  apiVersion: "Config format version.",
  kind: "Always EdgeAgent.",
  modules: "The agent's modules, each with `enable`.",
  nodeName: "Name of this node in Kubernetes (flag --node-name). Required.",
  dataDir: "State directory: the SQLite database lives here (flag --data-dir).",
  logLevel: "trace | debug | info | warn | error | fatal | silent",
  database: "The agent's SQLite database.",
  "database.dataSource": "SQLite file. Empty = <dataDir>/edge.db.",
  "database.outboxMaxRows":
    "Outbox cap in entries: over it the oldest Events are dropped (counted in " +
    "kubeedge_edge_outbox_events_dropped); reports and pod deletes never are.",
  "database.outboxMaxBytes": "Outbox cap in payload bytes, as outboxMaxRows.",
  "database.secretsKeyFile":
    "Key sealing Secrets in the database, created 0400 at first start; keep it off the data " +
    "directory (flag --secrets-key-file). Empty = <dataDir>.keys/secrets.key.",
  server: "Local HTTP server with /healthz and /metrics.",
  "server.address": "Address of /healthz and /metrics. Flag --healthz-bind-address.",
  "server.port": "0 = any free port (logged). Flag --healthz-port.",
  "modules.edgeHub": "EdgeHub: talks to kube-apiserver with the node's own client certificate.",
  "modules.edgeHub.kubeconfig":
    "kubeconfig of identity system:node:<nodeName> (flag --kubeconfig).",
  "modules.edgeHub.server": "Overrides the kubeconfig's server URL. Empty = from the kubeconfig.",
  "modules.edgeHub.tlsCaFile": "Override the kubeconfig's CA / client certificate / key files.",
  "modules.edgeHub.tlsCertFile": "Client certificate file. Empty = from the kubeconfig.",
  "modules.edgeHub.tlsPrivateKeyFile": "Client key file. Empty = from the kubeconfig.",
  "modules.edgeHub.heartbeat": "Seconds between renewals of Lease kube-node-lease/<nodeName>.",
  "modules.edgeHub.leaseDurationSeconds": "Lease duration written on the Lease.",
  "modules.edgeHub.reconnectInitialMs": "Reconnect backoff: first delay and cap (ms), jittered.",
  "modules.edgeHub.reconnectMaxMs": "Longest reconnect delay (ms).",
  "modules.edgeHub.requestTimeoutMs": "Timeout of one API request (ms).",
  "modules.edgeHub.rotateCertificates":
    "Renew the kubeconfig's client certificate through a CSR before expiry (join turns it on).",
  "modules.edgeHub.certificateRenewBeforeSeconds":
    "Renew this long before expiry. 0 = once 80% of the certificate's lifetime has passed.",
  "modules.edgeHub.certificateValiditySeconds":
    "Lifetime asked for in the CSR (>= 600). 0 = the signer's default.",
  "modules.edged": "Pods and node status (kubelet's job).",
  "modules.edged.nodeStatusUpdateFrequency":
    "Seconds between Node status checks; sent when changed, else every 5 minutes.",
  "modules.edged.remoteRuntimeEndpoint":
    "CRI endpoint of the container runtime (flag --remote-runtime-endpoint). Empty = none.",
  "modules.edged.port": "Port of the kubelet API (kubectl logs) on nodeIP. 0 = off.",
  "modules.edged.nodeIP": "Address reported on the Node. Empty = first non-internal IPv4.",
  "modules.edged.maxPods": "Pods this node accepts (the Node's pods capacity).",
  "modules.edged.cpu": "Allocatable cpu / memory on the Node. Empty = this machine's.",
  "modules.edged.memory": "Allocatable memory on the Node, e.g. 4Gi. Empty = this machine's.",
  "modules.edged.labels": "Extra labels set on the Node at registration.",
  "modules.edged.imageGCHighThresholdPercent":
    "Image fs usage (%) that starts removing unused images, oldest first. 100 = never.",
  "modules.edged.imageGCLowThresholdPercent": "Image fs usage (%) image GC frees down to.",
  "modules.edged.podSandboxImage":
    "The runtime's pause image (containerd's sandbox_image): image GC never removes it.",
  "modules.metaManager": "SQLite cache of cloud objects, answers queries while offline.",
  "modules.metaManager.podStatusSyncInterval": "Seconds between pod status syncs.",
  "modules.eventBus": "MQTT bridge for devices and mappers ($hw/events/... topics).",
  "modules.eventBus.mqttMode":
    "internal = embedded broker, external = an existing broker, both = bridge the two.",
  "modules.eventBus.mqttServerInternal":
    "Listen URL of the embedded broker (flag --mqtt-internal-server).",
  "modules.eventBus.mqttUnixSocket":
    "Embedded broker: also listen on this unix socket path (mode 0660, same logins and ACLs; a socket left by an earlier run is replaced). Empty: TCP only.",
  "modules.eventBus.mqttServerExternal": "URL of the external broker, e.g. mosquitto.",
  "modules.eventBus.mqttQOS": "QoS of messages the agent publishes: 0, 1 or 2.",
  "modules.eventBus.mqttRetain": "Whether messages the agent publishes are retained.",
  "modules.eventBus.mqttSessionQueueSize": "Messages kept per MQTT session while a client is slow.",
  "modules.eventBus.mqttUsername":
    "MQTT user name sent to the external broker; the embedded one also accepts it as a mapper login.",
  "modules.eventBus.mqttPassword": "MQTT password that goes with mqttUsername.",
  "modules.eventBus.tls": "TLS towards the external broker.",
  "modules.eventBus.tls.enable": "Connect to the external broker over TLS.",
  "modules.eventBus.tls.caFile": "CA file (PEM) the external broker's certificate must chain to.",
  "modules.eventBus.tls.certFile": "Client certificate file (PEM) for that TLS.",
  "modules.eventBus.tls.keyFile": "Client key file (PEM) for that TLS.",
  "modules.eventBus.allowAnonymous":
    "Embedded broker: let clients without credentials in as mappers (flag --mqtt-allow-anonymous).",
  "modules.eventBus.applications":
    "Edge applications: [{name, namespace, writes: [device ids]}] (credentials in mqtt-credentials.json).",
  "modules.eventBus.maxPayloadBytes": "Largest MQTT payload the embedded broker accepts.",
  "modules.eventBus.maxPacketBytes":
    "Largest MQTT packet (remaining length) the embedded broker reads.",
  "modules.eventBus.maxTopicLength": "Longest topic (characters) the embedded broker accepts.",
  "modules.eventBus.maxPublishesPerSecond":
    "Embedded broker: PUBLISH packets per second one client may send (a burst of one second's worth); over it the connection is closed and counted as reason rate. 0 = no limit.",
  "modules.eventBus.maxPublishBytesPerSecond":
    "Embedded broker: payload bytes per second one client may publish, likewise. 0 = no limit.",
  "modules.deviceTwin.maxTwinsPerDevice": "Twins one device may have; more is refused (400).",
  "modules.deviceTwin": "Device twins: membership, twin state, device state; reports to the cloud.",
};
