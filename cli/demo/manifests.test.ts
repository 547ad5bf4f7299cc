import { demoManifests } from "./manifests.js";

interface Deployment {
  kind: string;
  metadata: { name: string };
  spec: {
    template: {
      spec: {
        volumes?: { name: string; configMap?: { name: string } }[];
        containers: {
          image: string;
          env?: { name: string; value?: string }[];
          ports?: { containerPort: number }[];
          livenessProbe?: { httpGet?: { port: number } };
          readinessProbe?: { httpGet?: { port: number } };
        }[];
      };
    };
  };
}

const manifests = demoManifests({
  node: "edge-7",
  gateway: { host: "127.0.0.1", port: 40123 },
  mqttUrl: "mqtt://127.0.0.1:41000",
  mapperHttpPort: 42000,
});
const deployment = (name: string): Deployment =>
  manifests.find(
    m => m.kind === "Deployment" && (m as unknown as Deployment).metadata.name === name,
  ) as unknown as Deployment;

describe("what the demo applies", () => {
  it("is the water utility's models, devices and app plus the Modbus mapper Deployment", () => {
    expect(manifests.map(m => m.kind)).toEqual([
      "DeviceModel",
      "DeviceModel",
      "DeviceModel",
      "Device",
      "Device",
      "Device",
      "Deployment",
      "Deployment",
    ]);
    expect(deployment("modbus-mapper")).toBeDefined();
    expect(deployment("water-utility")).toBeDefined();
  });

  it("mounts no other node's profile in the mapper", () => {
    const volumes = deployment("modbus-mapper").spec.template.spec.volumes ?? [];
    const names = volumes.filter(v => v.configMap).map(v => v.configMap!.name);
    expect(names).toHaveLength(1);
    // Either this node's ConfigMap by name, or the node-relative name the agent resolves.
    expect(["device-profile-config-edge-7", "device-profile-config"]).toContain(names[0]);
  });

  it("points a literal broker URL at the agent's broker and leaves Secret references alone", () => {
    for (const name of ["modbus-mapper", "water-utility"]) {
      for (const c of deployment(name).spec.template.spec.containers) {
        for (const e of c.env ?? []) {
          if (e.name.endsWith("MQTT_URL") && e.value !== undefined) {
            expect(e.value).toBe("mqtt://127.0.0.1:41000");
          }
        }
      }
    }
  });

  it("moves the mapper's HTTP server, its container port and its probes to the given port", () => {
    const [c] = deployment("modbus-mapper").spec.template.spec.containers;
    expect(c!.env!.find(e => e.name === "MAPPER_HTTP_PORT")!.value).toBe("42000");
    expect(c!.ports!.map(p => p.containerPort)).toEqual([42000]);
    expect(c!.livenessProbe!.httpGet!.port).toBe(42000);
    expect(c!.readinessProbe!.httpGet!.port).toBe(42000);
  });
});
