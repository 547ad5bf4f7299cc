/**
 * What the CRI client adds to a process's memory: fresh `node --lite-mode` processes (as the
 * agent runs) that load a CRI client module, connect to a private containerd, make the calls a
 * relist makes (Version, ListPodSandbox, ListContainers, ListImages), settle 2 s, then report
 * RSS, PSS and anonymous memory from /proc/self; beside an empty process as the floor.
 *
 * Run: `npm run build && node --conditions=source --import tsx bench/cri-client-footprint.ts [runs] [client.js ...]`
 * (default 5 runs of edge-agent/dist/edged/cri/client.js). Another build's client.js (e.g. an
 * older checkout's) can be named to compare.
 */
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { startContainerd } from "../local/containerd/index.js";

const runs = Number(process.argv[2] ?? 5);
const clients = process.argv.slice(3);
if (clients.length === 0) {
  clients.push(resolve(import.meta.dirname, "../edge-agent/dist/edged/cri/client.js"));
}

// The child: optional client, the calls, a settle, then its own /proc figures as JSON.
const CHILD = `
const [url, endpoint] = process.argv.slice(1);
if (url) {
  const { connectCri } = await import(url);
  const cri = await connectCri(endpoint);
  await cri.version();
  await cri.listPodSandbox();
  await cri.listContainers();
  await cri.listImages();
}
await new Promise(r => setTimeout(r, 2000));
const fs = await import("node:fs");
const kib = (text, field) => Number(new RegExp("^" + field + ":\\\\s+(\\\\d+)", "m").exec(text)[1]);
const smaps = fs.readFileSync("/proc/self/smaps_rollup", "utf8");
console.log(JSON.stringify({ rss: kib(smaps, "Rss"), pss: kib(smaps, "Pss"), anon: kib(smaps, "Anonymous") }));
process.exit(0);
`;

interface Figures {
  rss: number;
  pss: number;
  anon: number;
}

function measure(url: string, endpoint: string): Promise<Figures> {
  return new Promise((res, rej) => {
    const child = spawn(
      process.execPath,
      ["--lite-mode", "--input-type=module", "-e", CHILD, url, endpoint],
      {
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    let out = "";
    child.stdout.on("data", (c: Buffer) => (out += c.toString()));
    child.on("exit", code =>
      code === 0 ? res(JSON.parse(out) as Figures) : rej(new Error(`child exited ${code}`)),
    );
  });
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const mib = (kib: number): string => (kib / 1024).toFixed(1);

const containerd = await startContainerd({
  dir: mkdtempSync(join(tmpdir(), "kubeedge-ts-bench-cri-client-")),
  ownerPid: process.pid,
  removeDir: true,
  progress: () => undefined,
});
console.log("| process | RSS median (min–max) MiB | PSS median MiB | anonymous median MiB |");
console.log("| --- | --- | --- | --- |");
for (const [name, url] of [
  ["empty node --lite-mode", ""],
  ...clients.map(c => [c, pathToFileURL(c).href]),
] as [string, string][]) {
  const got: Figures[] = [];
  for (let i = 0; i < runs; i++) got.push(await measure(url, containerd.endpoint));
  const rss = got.map(g => g.rss);
  console.log(
    `| ${name} | ${mib(median(rss))} (${mib(Math.min(...rss))}–${mib(Math.max(...rss))}) | ${mib(median(got.map(g => g.pss)))} | ${mib(median(got.map(g => g.anon)))} |`,
  );
}
await containerd.stop();
process.exit(0);
