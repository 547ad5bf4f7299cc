/**
 * Two edge nodes of the water utility side by side (scenario 4): each agent with its own plant,
 * Devices and Modbus mapper pod. Neither node's identity can read or write the other's Devices,
 * profile ConfigMap, pods or Secrets (403) while it can its own, and each mapper pod gets only
 * its own node's Devices: in the profile mounted into it and in what it reports.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { freePort } from "@kubeedge-ts/testkit";
import { profileConfigMapName } from "@kubeedge-ts/contract";
import {
  buildImage,
  importImages,
  modbusMapperOptions,
  nodeAppImage,
} from "../../local/images/index.js";
import { startWaterPlant, WATER_DEVICES, type WaterPlant } from "../../local/plant/index.js";
import { type RealCloud, startRealCloud } from "../devicetwin/real-cloud.js";
import { kubeRequest } from "../../local/kube/kube-request.js";
import { eventually, testCluster, testContainerd } from "../harness.js";
import { apply, createPodNamespace, podsWith } from "../edged/cluster-pods.js";
import { MAPPER_DEPLOYMENT, type Manifest, podSpec, WaterNode } from "./water-node.js";

const cluster = testCluster();
const containerd = testContainerd();
const NS = "water-two";

interface Site {
  edge: WaterNode;
  plant: WaterPlant;
  /** Device names by instrument, as bound to this node. */
  devices: Record<keyof typeof WATER_DEVICES, string>;
  mapper: string;
  httpPort: number;
  /** A Secret only this node's mapper pod references. */
  secret: string;
}

const sites: Site[] = [];

/**
 * The samples for `edge` with every Device and the mapper Deployment named with `suffix`, so two
 * nodes' objects live in one namespace; the mapper also references the site's own Secret.
 */
function siteManifests(site: Site, suffix: string): Manifest[] {
  const renamed = new Map<string, string>(
    Object.values(WATER_DEVICES).map(n => [n, `${n}${suffix}`]),
  );
  return site.edge
    .manifests(site.plant, site.httpPort)
    .filter(m => m.kind !== "Deployment" || m.metadata.name === MAPPER_DEPLOYMENT)
    .map(m => {
      if (m.kind === "Device") m.metadata.name = renamed.get(m.metadata.name as string);
      if (m.kind !== "Deployment") return m;
      m.metadata.name = site.mapper;
      const spec = m.spec as { selector: { matchLabels: Record<string, string> } };
      spec.selector.matchLabels.app = site.mapper;
      const template = (m.spec as { template: { metadata: { labels: Record<string, string> } } })
        .template;
      template.metadata.labels.app = site.mapper;
      const env = podSpec(m).containers[0]!.env as object[];
      env.push({
        name: "SITE_NOTE",
        valueFrom: { secretKeyRef: { name: site.secret, key: "note" } },
      });
      return m;
    });
}

type Method = "GET" | "PATCH" | "DELETE";

/** An API request as `site`'s node identity; the HTTP status. */
async function asNode(site: Site, method: Method, path: string, body?: object): Promise<number> {
  const type = method === "PATCH" ? "application/merge-patch+json" : undefined;
  return (await kubeRequest(site.edge.kubeconfig, method, path, body, type)).status;
}

const devicePath = (name: string): string =>
  `/apis/devices.kubeedge.io/v1alpha2/namespaces/${NS}/devices/${name}`;

/** What `site`'s agent sends to report a level on `device`. */
function report(site: Site, device: string): Promise<number> {
  const value = site.plant.state().levelM.toFixed(2);
  const body = { status: { twins: [{ propertyName: "level", reported: { value } }] } };
  return asNode(site, "PATCH", devicePath(device), body);
}

/** The API paths of a site's objects a node identity must not touch unless they are its own. */
async function objectsOf(site: Site): Promise<Record<string, string>> {
  const [pod] = await podsWith(cluster, NS, `app=${site.mapper}`);
  return {
    device: devicePath(site.devices.level),
    profile: `/api/v1/namespaces/${NS}/configmaps/${profileConfigMapName(site.edge.node)}`,
    pod: `/api/v1/namespaces/${NS}/pods/${pod!.metadata.name}`,
    secret: `/api/v1/namespaces/${NS}/secrets/${site.secret}`,
  };
}

/** The devices the mapper pod of `site` runs, from its /healthz. */
async function mapperDevices(site: Site): Promise<string[]> {
  const r = await fetch(`http://127.0.0.1:${site.httpPort}/healthz`);
  const body = (await r.json()) as { devices?: Record<string, unknown> };
  return Object.keys(body.devices ?? {}).sort();
}

/** The Device names in the profile the agent mounted into the site's mapper pod. */
function mountedProfileDevices(site: Site): string[] {
  // edged writes pod volumes under <dataDir>/edged/pods/<uid>/volumes/<volume>/.
  const pods = join(site.edge.dataDir, "edged", "pods");
  const file = readdirSync(pods, { recursive: true, encoding: "utf8" }).find(
    f => f.endsWith("deviceProfile.json") && !f.includes(".."),
  );
  if (!file) return [];
  const profile = JSON.parse(readFileSync(join(pods, file), "utf8")) as {
    deviceInstances: { name: string }[];
  };
  return profile.deviceInstances.map(d => d.name).sort();
}

beforeAll(async () => {
  cloud = await startRealCloud(cluster, []);
  await importImages(containerd.address, [
    await buildImage(await nodeAppImage(modbusMapperOptions())),
  ]);
  await createPodNamespace(cluster, NS);
  for (const [i, level] of [
    [1, 6],
    [2, 2],
  ] as const) {
    const suffix = i === 1 ? "" : `-${i}`;
    const site: Site = {
      edge: await WaterNode.start(cluster, containerd, `two-edge-${i}`, NS),
      plant: await startWaterPlant({ initialLevelM: level }),
      devices: {
        level: `${WATER_DEVICES.level}${suffix}`,
        pressure: `${WATER_DEVICES.pressure}${suffix}`,
        valve: `${WATER_DEVICES.valve}${suffix}`,
      },
      mapper: `${MAPPER_DEPLOYMENT}-${i}`,
      httpPort: await freePort(),
      secret: `two-edge-${i}-site`,
    };
    sites.push(site);
    const r = await cluster.kubectl([
      "create",
      "secret",
      "generic",
      site.secret,
      "-n",
      NS,
      `--from-literal=note=site ${i}`,
    ]);
    expect(r.code, r.stderr).toBe(0);
    await apply(cluster, ...siteManifests(site, suffix));
  }
}, 600_000);

let cloud: RealCloud;

afterAll(async () => {
  await cluster.kubectl(["delete", "namespace", NS, "--wait=false"]);
  for (const s of sites) {
    await eventually(
      `${s.edge.node}'s pods gone`,
      async () => (await podsWith(cluster, NS, `app=${s.mapper}`)).length === 0,
      60_000,
    ).catch(() => undefined);
    await s.edge.agent.kill("SIGKILL");
    await s.plant.stop();
  }
  await cloud?.stop();
});

describe("two edge nodes of the water utility", () => {
  it("runs each node's mapper pod and reports each plant on its own node's Devices", async () => {
    for (const s of sites) await s.edge.podReady(cluster, s.mapper);
    for (const s of sites) {
      await eventually(
        `${s.edge.node}'s level reported from its own plant`,
        async () => {
          const level = await s.edge.reported(cluster, s.devices.level, "level");
          return level !== undefined && Math.abs(level - s.plant.state().levelM) < 0.5;
        },
        120_000,
        1000,
      );
    }
    // The plants are metres apart: each Device got its own node's readings.
    expect(
      Math.abs(sites[0]!.plant.state().levelM - sites[1]!.plant.state().levelM),
    ).toBeGreaterThan(2);
  }, 400_000);

  it("gives each mapper pod only its own node's Devices", async () => {
    for (const s of sites) {
      const own = Object.values(s.devices).sort();
      let seen: string[] = [];
      await eventually(
        `${s.edge.node}'s mapper running exactly its own Devices`,
        async () => {
          seen = await mapperDevices(s).catch((e: Error) => [`(${e.message})`]);
          return seen.join() === own.join();
        },
        60_000,
        1000,
        () => `its /healthz lists ${seen.join(", ")}`,
      );
      expect(mountedProfileDevices(s)).toEqual(own);
    }
  });

  it("lets neither node read or write the other's Devices, profile, pods or Secrets (403)", async () => {
    for (const [self, other] of [
      [sites[0]!, sites[1]!],
      [sites[1]!, sites[0]!],
    ]) {
      // Its own profile, pod and Secret it reads (Devices no node reads, its own included: the
      // profile is its view of them), and it reports on its own Devices.
      const mine = await objectsOf(self);
      for (const what of ["profile", "pod", "secret"]) {
        expect(await asNode(self, "GET", mine[what]!), `${self.edge.node} reads its ${what}`).toBe(
          200,
        );
      }
      expect(await report(self, self.devices.level), `${self.edge.node} reports`).toBe(200);
      const touch = { metadata: { annotations: { "e2e/touched-by": self.edge.node } } };
      for (const [what, path] of Object.entries(await objectsOf(other))) {
        const who = `${self.edge.node} on ${other.edge.node}'s ${what}`;
        expect(await asNode(self, "GET", path), `${who}: read`).toBe(403);
        expect(await asNode(self, "PATCH", path, touch), `${who}: write`).toBe(403);
        expect(await asNode(self, "DELETE", path), `${who}: delete`).toBe(403);
      }
      expect(await report(self, other.devices.level), `${self.edge.node} reports theirs`).toBe(403);
    }
  });
});
