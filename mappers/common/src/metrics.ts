/** Prometheus metrics every mapper exposes on /metrics. */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

export interface MapperMetrics {
  registry: Registry;
  reads: Counter<"protocol" | "result">;
  writes: Counter<"protocol" | "result">;
  readSeconds: Histogram<"protocol">;
  deviceState: Gauge<"device" | "state">;
  devices: Gauge<"protocol">;
  refusedDevices: Gauge<"protocol">;
  profileLoads: Counter<"result">;
  twinPublishes: Counter<"kind" | "result">;
  mqttConnected: Gauge;
}

/** Creates the mapper metrics (and Node process metrics: CPU, RSS, event-loop lag). */
export function createMapperMetrics(registry: Registry = new Registry()): MapperMetrics {
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  return {
    registry,
    reads: new Counter({
      name: "kubeedge_mapper_reads_total",
      help: "Property reads from devices, by result (ok, offline, unhealthy)",
      labelNames: ["protocol", "result"],
      registers,
    }),
    writes: new Counter({
      name: "kubeedge_mapper_writes_total",
      help: "Desired-value writes to devices, by result (ok, refused, failed)",
      labelNames: ["protocol", "result"],
      registers,
    }),
    readSeconds: new Histogram({
      name: "kubeedge_mapper_read_duration_seconds",
      help: "Duration of one property read",
      labelNames: ["protocol"],
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
      registers,
    }),
    deviceState: new Gauge({
      name: "kubeedge_mapper_device_state",
      help: "1 for the current state of each device",
      labelNames: ["device", "state"],
      registers,
    }),
    devices: new Gauge({
      name: "kubeedge_mapper_devices",
      help: "Devices served",
      labelNames: ["protocol"],
      registers,
    }),
    refusedDevices: new Gauge({
      name: "kubeedge_mapper_refused_devices",
      help: "Devices refused because their profile entries are invalid",
      labelNames: ["protocol"],
      registers,
    }),
    profileLoads: new Counter({
      name: "kubeedge_mapper_profile_loads_total",
      help: "Profile (re)loads by result (ok, invalid)",
      labelNames: ["result"],
      registers,
    }),
    twinPublishes: new Counter({
      name: "kubeedge_mapper_twin_publishes_total",
      help: "Messages published on twin/state topics, by kind and result (sent, dropped)",
      labelNames: ["kind", "result"],
      registers,
    }),
    mqttConnected: new Gauge({
      name: "kubeedge_mapper_mqtt_connected",
      help: "1 while connected to the MQTT broker",
      registers,
    }),
  };
}
