import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  bundleRequires,
  peprControllerConfig,
  peprControllerImageRef,
  peprVersion,
} from "./pepr-controller-image.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "../..");

describe("the Pepr controller image", () => {
  it("is named as pepr build names it, for the pinned pepr version", () => {
    const lock = JSON.parse(readFileSync(join(root, "package-lock.json"), "utf8")) as {
      packages: Record<string, { version: string }>;
    };
    const pinned = lock.packages["node_modules/pepr"]!.version;
    expect(peprVersion()).toBe(pinned);
    expect(peprControllerImageRef()).toBe(`ghcr.io/defenseunicorns/pepr/controller:v${pinned}`);
    // pepr's CLI builds the Deployments' image from the same repository and its own version.
    const cli = readFileSync(join(root, "node_modules/pepr/dist/cli.js"), "utf8");
    expect(cli).toContain("ghcr.io/defenseunicorns/pepr/controller:v${");
  });

  it("runs node as 65532 from /app, where the Deployments' args expect the controller", () => {
    expect(peprControllerConfig()).toMatchObject({
      entrypoint: ["node"],
      workingDir: "/app",
      user: "65532:65532",
    });
  });
});

describe("bundleRequires", () => {
  it("lists the packages a bundle requires, not built-ins or requires quoted in strings", () => {
    const code = [
      'var a=require("pepr"),b=require("node:crypto"),c=require("fs");',
      "x.code='require(\"ajv/dist/runtime/equal\").default';",
      'var d=require("@kubernetes/client-node");var e=require("pepr");',
      'o.require("not-a-call");',
    ].join("\n");
    expect(bundleRequires(code)).toEqual(["@kubernetes/client-node", "pepr"]);
  });
});
