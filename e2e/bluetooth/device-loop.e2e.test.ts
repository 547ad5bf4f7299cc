/**
 * The whole device loop with the Bluetooth mapper: a Device in kube-apiserver, the node's
 * profile ConfigMap, the edge agent (embedded broker, DeviceTwin) and the real Bluetooth mapper
 * talking GATT through noble to a simulated SensorTag. A desired value set with kubectl is
 * written to the peripheral, and what the mapper reads and writes lands in the Device status.
 */
import {
  DEVICES_API_VERSION,
  PROFILE_CONFIGMAP_KEY,
  profileConfigMapName,
} from "@kubeedge-ts/contract";
import { ModuleName, type Agent } from "@kubeedge-ts/edge-agent";
import { createLogger } from "@kubeedge-ts/mapper-common";
import type { EventBusModule } from "../../edge-agent/src/eventbus/index.js";
import { configMapDir, type ConfigMapDir } from "@kubeedge-ts/testkit";
import { loadNoble, waitPoweredOn } from "../../mappers/bluetooth/src/ble/noble-loader.js";
import { parseConfigText } from "../../mappers/bluetooth/src/config/config-file.js";
import { runBluetoothMapper, type BluetoothMapper } from "../../mappers/bluetooth/src/mapper.js";
import { MAC, SENSORTAG_CONFIG, sensorTagProfile } from "../../mappers/bluetooth/test/fixtures.js";
import {
  addSensorTag,
  SimRadio,
  type SensorTag,
} from "../../mappers/bluetooth/test/sim-peripheral.js";
import { FAST_LINK } from "../../mappers/bluetooth/test/stack.js";
import {
  getDevice,
  grantProfile,
  kubectlOk,
  syncProfile,
  type DeviceObject,
} from "../devicetwin/cloud.js";
import { startTwinAgent } from "../devicetwin/edge.js";
import { ensureDevices } from "../edge-agent/devices.js";
import { eventually, testCluster } from "../harness.js";

const cluster = testCluster();
const NODE = "bt-e2e-1";
const NS = "bt-e2e";
const DEV = "sensortag";

let agent: Agent | undefined;
let radio: SimRadio | undefined;
let tag: SensorTag;
let mapper: BluetoothMapper | undefined;
let profileDir: ConfigMapDir;
let removeDevices: () => Promise<void> = async () => undefined;

function sensorTagDevice(enable: string): object {
  return {
    apiVersion: DEVICES_API_VERSION,
    kind: "Device",
    metadata: { name: DEV, namespace: NS },
    spec: {
      deviceModelRef: { name: "cc2650-sensortag" },
      protocol: { bluetooth: { macAddress: MAC } },
    },
    status: {
      twins: [
        {
          propertyName: "temperature-enable",
          desired: { value: enable, metadata: { type: "string" } },
        },
      ],
    },
  };
}

/** What the kubelet does for the mapper pod: the node's profile ConfigMap as a mounted file. */
async function mountProfile(): Promise<void> {
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
  const text = cm.data[PROFILE_CONFIGMAP_KEY];
  if (profileDir) profileDir.swap(text);
  else profileDir = configMapDir(PROFILE_CONFIGMAP_KEY, text);
}

function twin(d: DeviceObject, prop: string): string | undefined {
  return d.status?.twins?.find(t => t.propertyName === prop)?.reported?.value;
}

beforeAll(async () => {
  removeDevices = await ensureDevices(cluster);
  await cluster.kubectl(["create", "namespace", NS]);
  await kubectlOk(cluster, ["apply", "-f", "-"], JSON.stringify(sensorTagDevice("ON")));
  agent = await startTwinAgent(cluster, NODE);
  await grantProfile(cluster, NODE, NS);
  await syncProfile(cluster, NODE, await getDevice(cluster, NS, DEV), sensorTagProfile());
  await mountProfile();

  radio = await SimRadio.start();
  tag = addSensorTag(radio, MAC, 23.5);
  const noble = loadNoble({ websocketUrl: radio.url });
  await waitPoweredOn(noble, 2000);
  const eventbus = agent.modules.find(m => m.name === ModuleName.EventBus) as EventBusModule;
  const parsed = parseConfigText(
    SENSORTAG_CONFIG.replace("occurrence-limit: 3", "occurrence-limit: 0"),
  );
  if (!parsed.ok) throw new Error(parsed.errors.join("; "));
  mapper = await runBluetoothMapper({
    profilePath: profileDir.path,
    mqttUrl: `mqtt://127.0.0.1:${eventbus.internal!.port}`,
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
  await cluster.kubectl(["delete", "namespace", NS, "--wait=false"]);
  await cluster.kubectl(["delete", "node", NODE, "--ignore-not-found"]);
  await removeDevices();
});

describe("Bluetooth device loop with the real control plane and edge agent", () => {
  it("reports the SensorTag online, its desired ON applied and its temperature read", async () => {
    const d = await eventually(
      "reported values in the Device",
      async () => {
        const dev = await getDevice(cluster, NS, DEV);
        return (
          dev.status?.state === "online" &&
          twin(dev, "temperature-enable") === "ON" &&
          twin(dev, "temperature") === "23.5" &&
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
    // The cloud reconciler's step, then the kubelet's volume update.
    await syncProfile(cluster, NODE, await getDevice(cluster, NS, DEV), sensorTagProfile());
    await mountProfile();
    await eventually("the sensor switched off", async () => !tag.enabled, 30_000, 50);
    await eventually(
      "OFF reported in the Device",
      async () => twin(await getDevice(cluster, NS, DEV), "temperature-enable") === "OFF",
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
