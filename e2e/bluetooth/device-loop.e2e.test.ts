/**
 * The whole device loop with the Bluetooth mapper: the SensorTag sample (its DeviceModel and
 * Device, bound to this test's node) admitted by the real cloud module, which builds the
 * node's profile ConfigMap; the edge agent (embedded broker, DeviceTwin) and the real Bluetooth
 * mapper talking GATT through noble to a simulated SensorTag. A desired value set with kubectl
 * is written to the peripheral, and what the mapper reads and writes lands in the Device status.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PROFILE_CONFIGMAP_KEY, profileConfigMapName } from "@kubeedge-ts/contract";
import { parseAllDocuments } from "yaml";
import type { Agent } from "@kubeedge-ts/edge-agent";
import { createLogger } from "@kubeedge-ts/mapper-common";
import { configMapDir, type ConfigMapDir } from "@kubeedge-ts/testkit";
import { loadNoble, waitPoweredOn } from "../../mappers/bluetooth/src/ble/noble-loader.js";
import { parseConfigText } from "../../mappers/bluetooth/src/config/config-file.js";
import { runBluetoothMapper, type BluetoothMapper } from "../../mappers/bluetooth/src/mapper.js";
import { MAC, SENSORTAG_CONFIG } from "../../mappers/bluetooth/test/fixtures.js";
import {
  addSensorTag,
  SimRadio,
  type SensorTag,
} from "../../mappers/bluetooth/test/sim-peripheral.js";
import { FAST_LINK } from "../../mappers/bluetooth/test/stack.js";
import { brokerUrl, startTwinAgent } from "../devicetwin/edge.js";
import {
  applyAdmitted,
  getDevice,
  kubectlOk,
  reportedValue,
  startRealCloud,
  type RealCloud,
} from "../devicetwin/real-cloud.js";
import { REPO_ROOT } from "../../local/cloud-runner/module-runner.js";
import { eventually, testCluster } from "../harness.js";

const cluster = testCluster();
const NODE = "bt-e2e-1";
const NS = "bt-e2e";
const DEV = "sensortag-01";

let agent: Agent | undefined;
let radio: SimRadio | undefined;
let tag: SensorTag;
let mapper: BluetoothMapper | undefined;
let profileDir: ConfigMapDir | undefined;
let cloud: RealCloud | undefined;

type Manifest = {
  kind: string;
  metadata: { name: string; namespace?: string };
  spec: {
    protocol?: { bluetooth?: { macAddress: string } };
    nodeSelector?: { nodeSelectorTerms: { matchExpressions: { values: string[] }[] }[] };
  };
};

/**
 * samples/bluetooth-sensortag.yaml as a user applies it, in this test's namespace, bound to
 * this test's node and pointing at the simulated peripheral's address.
 */
function sampleObjects(): Manifest[] {
  const text = readFileSync(join(REPO_ROOT, "samples", "bluetooth-sensortag.yaml"), "utf8");
  const objects = parseAllDocuments(text).map(d => d.toJS() as Manifest);
  for (const o of objects) {
    o.metadata.namespace = NS;
    if (o.kind !== "Device") continue;
    o.spec.protocol!.bluetooth!.macAddress = MAC;
    o.spec.nodeSelector!.nodeSelectorTerms[0]!.matchExpressions[0]!.values = [NODE];
  }
  return objects;
}

/** What the kubelet does for the mapper pod: the node's profile ConfigMap as a mounted file. */
async function mountProfile(): Promise<string> {
  const cm = JSON.parse(
    await kubectlOk(cluster, [
      "get",
      "configmap",
      profileConfigMapName(NODE),
      "-n",
      NS,
      "-o",
      "json",
    ]),
  ) as { data: Record<string, string> };
  const text = cm.data[PROFILE_CONFIGMAP_KEY]!;
  if (profileDir) profileDir.swap(text);
  else profileDir = configMapDir(PROFILE_CONFIGMAP_KEY, text);
  return text;
}

/** The node's profile once it holds the device with this desired enable value. */
async function profileWith(enable: string): Promise<string> {
  return eventually(
    `the profile with temperature-enable ${enable}`,
    async () => {
      const text = await mountProfile().catch(() => undefined);
      const desired = text && JSON.parse(text).deviceInstances?.[0]?.twins;
      const twin = desired?.find(
        (t: { propertyName: string }) => t.propertyName === "temperature-enable",
      );
      return twin?.desired?.value === enable ? text : undefined;
    },
    60_000,
  );
}

beforeAll(async () => {
  cloud = await startRealCloud(cluster, [NS]);
  const objects = sampleObjects();
  await applyAdmitted(
    cluster,
    objects.filter(o => o.kind === "DeviceModel"),
  );
  await applyAdmitted(
    cluster,
    objects.filter(o => o.kind === "Device"),
  );
  agent = await startTwinAgent(cluster, NODE);
  await profileWith("ON");

  radio = await SimRadio.start();
  tag = addSensorTag(radio, MAC, 23.5);
  const noble = loadNoble({ websocketUrl: radio.url });
  await waitPoweredOn(noble, 2000);
  const parsed = parseConfigText(
    SENSORTAG_CONFIG.replace("occurrence-limit: 3", "occurrence-limit: 0"),
  );
  if (!parsed.ok) throw new Error(parsed.errors.join("; "));
  mapper = await runBluetoothMapper({
    profilePath: profileDir!.path,
    mqttUrl: brokerUrl(agent),
    config: parsed.value,
    noble,
    log: createLogger("bt-e2e", "warn"),
    httpHost: "127.0.0.1",
    httpPort: 0,
    link: FAST_LINK,
  });
});

afterAll(async () => {
  await mapper?.stop();
  await radio?.close();
  await agent?.stop();
  await cloud?.stop();
  await cluster.kubectl(["delete", "node", NODE, "--ignore-not-found"]);
});

describe("Bluetooth device loop with the real control plane and edge agent", () => {
  it("reports the SensorTag online, its desired ON applied and its temperature read", async () => {
    const d = await eventually(
      "reported values in the Device",
      async () => {
        const dev = await getDevice(cluster, NS, DEV);
        return (
          dev.status?.state === "online" &&
          reportedValue(dev, "temperature-enable") === "ON" &&
          reportedValue(dev, "temperature") === "23.5" &&
          dev
        );
      },
      60_000,
    );
    expect(tag.enabled).toBe(true);
    expect(d.status?.lastOnlineTime).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it("writes a desired value set with kubectl to the peripheral and reports it back", async () => {
    const patch = JSON.stringify({
      status: {
        twins: [
          {
            propertyName: "temperature-enable",
            desired: { value: "OFF", metadata: { type: "string" } },
          },
        ],
      },
    });
    await kubectlOk(cluster, ["patch", "device", DEV, "-n", NS, "--type", "merge", "-p", patch]);
    // The cloud's reconciler updates the profile; then the kubelet's volume update.
    await profileWith("OFF");
    await eventually("the sensor switched off", async () => !tag.enabled, 30_000, 50);
    await eventually(
      "OFF reported in the Device",
      async () => reportedValue(await getDevice(cluster, NS, DEV), "temperature-enable") === "OFF",
      30_000,
    );
  });

  it("shows the device offline when the peripheral goes away, online when it is back", async () => {
    tag.peripheral.disappear();
    await eventually(
      "offline",
      async () => (await getDevice(cluster, NS, DEV)).status?.state === "offline",
      30_000,
    );
    tag.peripheral.appear();
    await eventually(
      "online",
      async () => (await getDevice(cluster, NS, DEV)).status?.state === "online",
      30_000,
    );
  });
});
