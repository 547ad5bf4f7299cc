import { describe, expect, it } from "vitest";
import { BOOTSTRAP_TOKEN_PATTERN } from "@kubeedge-ts/contract";
import { joinCommand, newBootstrapToken, parseTtl, tokenSecret } from "./token.js";

describe("bootstrap tokens", () => {
  it("are <6>.<16> lowercase alphanumerics, different each time", () => {
    const a = newBootstrapToken(0);
    const b = newBootstrapToken(0);
    expect(`${a.id}.${a.secret}`).toMatch(BOOTSTRAP_TOKEN_PATTERN);
    expect(`${a.id}.${a.secret}`).not.toBe(`${b.id}.${b.secret}`);
  });

  it("parse kubeadm-style TTLs and refuse anything else", () => {
    expect(parseTtl("24h")).toBe(86_400_000);
    expect(parseTtl("1h30m")).toBe(5_400_000);
    expect(parseTtl("45s")).toBe(45_000);
    expect(parseTtl("0")).toBe(0);
    expect(() => parseTtl("1d")).toThrow(/--ttl '1d'/);
    expect(() => parseTtl("h")).toThrow(/--ttl/);
  });

  it("become a kube-system Secret with an RFC 3339 expiration and both usages", () => {
    const token = newBootstrapToken(3_600_000, new Date("2026-01-01T00:00:00.000Z"));
    const secret = tokenSecret(token, "test") as {
      type: string;
      metadata: { name: string; namespace: string };
      stringData: Record<string, string>;
    };
    expect(secret.type).toBe("bootstrap.kubernetes.io/token");
    expect(secret.metadata).toMatchObject({
      name: `bootstrap-token-${token.id}`,
      namespace: "kube-system",
    });
    expect(secret.stringData).toMatchObject({
      expiration: "2026-01-01T01:00:00Z",
      "usage-bootstrap-authentication": "true",
      "usage-bootstrap-signing": "true",
    });
    expect(secret.stringData["auth-extra-groups"]).toMatch(/^system:bootstrappers:kubeedge-ts/);
    expect(tokenSecret(newBootstrapToken(0), "x")).not.toHaveProperty("stringData.expiration");
  });

  it("print the join line with server, token and pin", () => {
    const line = joinCommand(
      "https://10.0.0.5:6443",
      { id: "abcdef", secret: "0123456789abcdef" },
      "sha256:ff",
    );
    expect(line).toBe(
      "kubeedge-edge join --server https://10.0.0.5:6443 --token abcdef.0123456789abcdef --ca-hash sha256:ff",
    );
  });
});
