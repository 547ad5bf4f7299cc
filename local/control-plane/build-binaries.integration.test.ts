/**
 * build-binaries.sh on a warm cache from before kubelet/kube-proxy: it must build only the
 * missing binaries. The Go toolchain is replaced by a recording script (the real build takes
 * minutes per binary); the script under test is the real one.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { BINARIES, ETCD_VERSION, K8S_VERSION } from "./binaries.js";

const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), "build-binaries.sh");
const OLD_CACHE = [
  "etcd",
  "kube-apiserver",
  "kube-controller-manager",
  "kube-scheduler",
  "kubectl",
];

// Records every call; `mod download -json` names a go.mod, `build -o F` creates F.
const FAKE_GO = `#!/bin/sh
echo "$*" >> "$GO_LOG"
case "$1" in
  mod) [ "$2" = download ] && [ "$3" = -json ] && echo "{\\"GoMod\\": \\"$FAKE_GOMOD\\"}" ;;
  build) while [ $# -gt 0 ]; do [ "$1" = -o ] && printf bin > "$2" && chmod +x "$2"; shift; done ;;
esac
exit 0
`;

let scratch: string;
beforeEach(() => {
  scratch = mkdtempSync(join(tmpdir(), "kts-build-binaries-"));
});
afterEach(() => rmSync(scratch, { recursive: true, force: true }));

function run(): { code: number | null; builds: string[]; out: string } {
  const fakeBin = join(scratch, "fake-bin");
  mkdirSync(fakeBin, { recursive: true });
  writeFileSync(join(fakeBin, "go"), FAKE_GO);
  chmodSync(join(fakeBin, "go"), 0o755);
  const gomod = join(scratch, "kubernetes.mod");
  writeFileSync(gomod, "module k8s.io/kubernetes\n\trequire (\n\tk8s.io/api v0.0.0\n)\n");
  const log = join(scratch, "go.log");
  writeFileSync(log, "");
  const r = spawnSync("bash", [SCRIPT], {
    encoding: "utf8",
    env: {
      ...process.env,
      PATH: `${fakeBin}:${process.env.PATH ?? ""}`,
      KUBEEDGE_TS_CACHE: join(scratch, "cache"),
      K8S_VERSION,
      ETCD_VERSION,
      GO_LOG: log,
      FAKE_GOMOD: gomod,
    },
  });
  const builds = readFileSync(log, "utf8")
    .split("\n")
    .filter(l => l.startsWith("build "))
    .map(l => / (\S+)$/.exec(l)?.[1] ?? l);
  return { code: r.status, builds, out: r.stdout + r.stderr };
}

const outDir = (): string =>
  join(scratch, "cache", "bin", `k8s-v${K8S_VERSION}-etcd-v${ETCD_VERSION}`);

describe("build-binaries.sh", () => {
  it("completes a cache of the five older binaries with kubelet and kube-proxy only", () => {
    mkdirSync(outDir(), { recursive: true });
    for (const b of OLD_CACHE) {
      writeFileSync(join(outDir(), b), "old");
      chmodSync(join(outDir(), b), 0o755);
    }
    const r = run();
    expect(r.code, r.out).toBe(0);
    expect(r.builds).toEqual(["k8s.io/kubernetes/cmd/kubelet", "k8s.io/kubernetes/cmd/kube-proxy"]);
    for (const b of OLD_CACHE) expect(readFileSync(join(outDir(), b), "utf8")).toBe("old");
    for (const b of BINARIES) expect(readFileSync(join(outDir(), b), "utf8")).toMatch(/old|bin/);
  });

  it("builds nothing when all seven are there, and all seven into an empty cache", () => {
    const first = run();
    expect(first.code, first.out).toBe(0);
    expect(first.builds).toHaveLength(BINARIES.length);
    expect(first.builds).toContain("go.etcd.io/etcd/server/v3");
    const second = run();
    expect(second.code, second.out).toBe(0);
    expect(second.builds).toEqual([]);
    expect(second.out).toContain("cached:");
  });
});
