import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import type { Pod } from "../pod.js";
import { ServiceAccountTokens, type TokenRequester } from "./service-account-tokens.js";

const HOUR = 3600_000;
const projection = { path: "token", expirationSeconds: 3600 };

const pod: Pod = {
  metadata: { name: "web", namespace: "apps", uid: "u1" },
  spec: {
    serviceAccountName: "reader",
    containers: [{ name: "c", image: "i" }],
    volumes: [
      { name: "kube-api-access", projected: { sources: [{ serviceAccountToken: projection }] } },
    ],
  },
};

/** An apiserver that issues `token-<n>` valid one hour from the fake clock, or is away. */
function apiserver(clock: { now: number }) {
  const calls: { namespace: string; serviceAccount: string; body: object }[] = [];
  let away = false;
  const request: TokenRequester = async (namespace, serviceAccount, body) => {
    if (away) throw new Error("connect ECONNREFUSED");
    calls.push({ namespace, serviceAccount, body });
    const expirationTimestamp = new Date(clock.now + HOUR).toISOString();
    return { token: `token-${calls.length}`, expirationTimestamp };
  };
  return { request, calls, setAway: (v: boolean) => void (away = v) };
}

const noFile = (): string => "/nonexistent/token";

function setup() {
  const clock = { now: 1_000_000 };
  const api = apiserver(clock);
  const tokens = new ServiceAccountTokens(api.request, pino({ level: "silent" }), () => clock.now);
  return { clock, api, tokens };
}

describe("ServiceAccountTokens", () => {
  it("requests a token bound to the pod for its service account", async () => {
    const { api, tokens } = setup();
    expect(tokens.token(pod, projection)).toBeUndefined();
    await tokens.prepare(pod, noFile);
    expect(tokens.token(pod, projection)).toBe("token-1");
    expect(api.calls).toEqual([
      {
        namespace: "apps",
        serviceAccount: "reader",
        body: {
          apiVersion: "authentication.k8s.io/v1",
          kind: "TokenRequest",
          spec: {
            audiences: [],
            expirationSeconds: 3600,
            boundObjectRef: { apiVersion: "v1", kind: "Pod", name: "web", uid: "u1" },
          },
        },
      },
    ]);
  });

  it("refreshes after 80 % of the lifetime, not before", async () => {
    const { clock, api, tokens } = setup();
    await tokens.prepare(pod, noFile);
    clock.now += 0.79 * HOUR;
    await tokens.prepare(pod, noFile);
    expect(api.calls).toHaveLength(1);
    clock.now += 0.02 * HOUR;
    await tokens.prepare(pod, noFile);
    expect(tokens.token(pod, projection)).toBe("token-2");
  });

  it("keeps the last token while the apiserver is away, retrying at most every 10 s", async () => {
    const { clock, api, tokens } = setup();
    await tokens.prepare(pod, noFile);
    clock.now += 0.9 * HOUR;
    api.setAway(true);
    await tokens.prepare(pod, noFile);
    expect(tokens.token(pod, projection)).toBe("token-1");
    api.setAway(false);
    clock.now += 5_000;
    await tokens.prepare(pod, noFile);
    expect(tokens.token(pod, projection)).toBe("token-1");
    clock.now += 5_000;
    await tokens.prepare(pod, noFile);
    expect(tokens.token(pod, projection)).toBe("token-2");
  });

  it("after a restart with the apiserver away, keeps the token the pod already has", async () => {
    const { api, tokens } = setup();
    const file = join(mkdtempSync(join(tmpdir(), "sa-token-")), "token");
    writeFileSync(file, "token-from-before");
    api.setAway(true);
    await tokens.prepare(pod, (volume, path) => {
      expect([volume, path]).toEqual(["kube-api-access", "token"]);
      return file;
    });
    expect(tokens.token(pod, projection)).toBe("token-from-before");
    await tokens.prepare(pod, noFile);
    expect(tokens.token(pod, projection)).toBe("token-from-before");
  });

  it("forgets a pod's tokens", async () => {
    const { tokens } = setup();
    await tokens.prepare(pod, noFile);
    tokens.forget("u1");
    expect(tokens.token(pod, projection)).toBeUndefined();
  });
});
