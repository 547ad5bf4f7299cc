import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createCsr, newNodeKey } from "./csr.js";

describe("node CSR", () => {
  it("is a PKCS#10 request openssl verifies, with O=system:nodes and CN=system:node:<n>", () => {
    const key = newNodeKey();
    const pem = createCsr(key, {
      commonName: "system:node:edge-1",
      organizations: ["system:nodes"],
    });
    const dir = mkdtempSync(join(tmpdir(), "csr-"));
    writeFileSync(join(dir, "req.pem"), pem);
    const out = execFileSync(
      "openssl",
      ["req", "-in", join(dir, "req.pem"), "-noout", "-verify", "-subject"],
      { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] },
    );
    expect(out).toMatch(/O\s*=\s*system:nodes,\s*CN\s*=\s*system:node:edge-1/);
  });

  it("encodes long names (multi-byte DER lengths)", () => {
    const name = `system:node:${"n".repeat(200)}`;
    const pem = createCsr(newNodeKey(), { commonName: name, organizations: ["system:nodes"] });
    const dir = mkdtempSync(join(tmpdir(), "csr-"));
    writeFileSync(join(dir, "req.pem"), pem);
    const out = execFileSync(
      "openssl",
      ["req", "-in", join(dir, "req.pem"), "-noout", "-verify", "-subject"],
      {
        encoding: "utf8",
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    expect(out).toContain(name);
  });
});
