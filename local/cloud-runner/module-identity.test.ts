import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { KubeConfig } from "@kubernetes/client-node";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { stringify } from "yaml";
import type { Kube } from "../kube/kube.js";
import { writeServiceAccountKubeconfig } from "./module-identity.js";

const ACCOUNT = { name: "pepr-kubeedge-ts", namespace: "pepr-system" };

/** A TokenRequest endpoint that hands out token-1, token-2, … and can be made to fail. */
function tokenIssuer() {
  const issued: { path: string; expirationSeconds: number }[] = [];
  let failing = false;
  const kube = {
    client: {
      create: async (path: string, body: { spec: { expirationSeconds: number } }) => {
        if (failing) throw new Error("connect ECONNREFUSED");
        issued.push({ path, expirationSeconds: body.spec.expirationSeconds });
        return { status: { token: `token-${issued.length}` } };
      },
    },
  } as unknown as Kube;
  return { kube, issued, fail: (v: boolean) => (failing = v) };
}

let dir: string;
let admin: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "kubeedge-ts-identity-"));
  admin = join(dir, "admin.kubeconfig");
  writeFileSync(
    admin,
    stringify({
      apiVersion: "v1",
      kind: "Config",
      clusters: [{ name: "local", cluster: { server: "https://127.0.0.1:6443" } }],
      users: [{ name: "admin", user: { token: "admin-token" } }],
      contexts: [{ name: "admin", context: { cluster: "local", user: "admin" } }],
      "current-context": "admin",
    }),
  );
});

afterEach(() => {
  vi.useRealTimers();
  rmSync(dir, { recursive: true, force: true });
});

/** The Authorization header client-node sends with this kubeconfig (as the module's client). */
async function bearer(file: string): Promise<string | undefined> {
  const kc = new KubeConfig();
  kc.loadFromFile(file);
  const opts: { headers: Record<string, string> } = { headers: {} };
  await kc.applyToHTTPSOptions(opts);
  return opts.headers.Authorization;
}

describe("writeServiceAccountKubeconfig", () => {
  it("writes a kubeconfig whose client reads the account's token from its own file", async () => {
    const { kube, issued } = tokenIssuer();
    const file = join(dir, "module.kubeconfig");
    const id = await writeServiceAccountKubeconfig(kube, admin, ACCOUNT, file);
    id.stop();
    expect(issued[0]!.path).toBe(
      "/api/v1/namespaces/pepr-system/serviceaccounts/pepr-kubeedge-ts/token",
    );
    expect(readFileSync(id.tokenFile, "utf8")).toBe("token-1");
    expect(statSync(id.tokenFile).mode & 0o777).toBe(0o600);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, "utf8")).not.toContain("admin-token");
    expect(await bearer(file)).toBe("Bearer token-1");
  });

  it("replaces the token at 80 % of its lifetime and retries a failed renewal a minute later", async () => {
    vi.useFakeTimers();
    const { kube, issued, fail } = tokenIssuer();
    const id = await writeServiceAccountKubeconfig(
      kube,
      admin,
      ACCOUNT,
      join(dir, "m.kubeconfig"),
      {
        expirationSeconds: 1000,
        onRenewalError: () => fail(false),
      },
    );
    await vi.advanceTimersByTimeAsync(799_000);
    expect(readFileSync(id.tokenFile, "utf8")).toBe("token-1");
    fail(true);
    await vi.advanceTimersByTimeAsync(1000);
    expect(readFileSync(id.tokenFile, "utf8")).toBe("token-1");
    await vi.advanceTimersByTimeAsync(60_000);
    expect(readFileSync(id.tokenFile, "utf8")).toBe("token-2");
    expect(issued.map(i => i.expirationSeconds)).toEqual([1000, 1000]);
    await vi.advanceTimersByTimeAsync(800_000);
    expect(readFileSync(id.tokenFile, "utf8")).toBe("token-3");
    id.stop();
    await vi.advanceTimersByTimeAsync(10_000_000);
    expect(issued).toHaveLength(3);
  });
});
