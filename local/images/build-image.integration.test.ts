/**
 * buildImage with umoci, as issue 11's mapper images will use it: any rootfs writer and config
 * become one OCI image tarball whose index names the image, whose config carries the runtime
 * settings, and whose layer holds the files; the second build of the same spec is the cache.
 */
import { execFileSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { buildImage } from "./build-image.js";
import type { ImageSpec } from "./image-spec.js";

const cacheDir = mkdtempSync(join(tmpdir(), "kubeedge-ts-images-"));
afterAll(() => rmSync(cacheDir, { recursive: true, force: true }));

const spec: ImageSpec = {
  name: "docker.io/kubeedge-ts/it-app",
  tag: "0.1",
  inputs: ["app.sh v1"],
  config: {
    entrypoint: ["/app/run.sh"],
    cmd: ["--verbose"],
    env: { MODE: "test" },
    workingDir: "/app",
    user: "1000:1000",
    labels: { purpose: "integration" },
  },
  rootfs: async dir => {
    mkdirSync(join(dir, "app"), { recursive: true });
    writeFileSync(join(dir, "app/run.sh"), "#!/bin/sh\necho hi\n");
    chmodSync(join(dir, "app/run.sh"), 0o755);
  },
};

const readTar = (tarball: string, member: string): string =>
  execFileSync("tar", ["-xOf", tarball, member], { encoding: "utf8" });

const blob = (tarball: string, digest: string): string =>
  readTar(tarball, `blobs/sha256/${digest.replace("sha256:", "")}`);

describe("buildImage", () => {
  it("writes an OCI layout tarball named for containerd, with the config and the files", async () => {
    const built = await buildImage(spec, () => undefined, cacheDir);
    expect(built).toMatchObject({ ref: "docker.io/kubeedge-ts/it-app:0.1", cached: false });
    expect(JSON.parse(readTar(built.tarball, "oci-layout"))).toEqual({
      imageLayoutVersion: "1.0.0",
    });

    const index = JSON.parse(readTar(built.tarball, "index.json")) as {
      manifests: { digest: string; annotations: Record<string, string> }[];
    };
    expect(index.manifests).toHaveLength(1);
    expect(index.manifests[0]!.annotations["io.containerd.image.name"]).toBe(built.ref);

    const manifest = JSON.parse(blob(built.tarball, index.manifests[0]!.digest)) as {
      config: { digest: string };
      layers: { digest: string }[];
    };
    const config = JSON.parse(blob(built.tarball, manifest.config.digest)) as {
      architecture: string;
      os: string;
      config: Record<string, unknown>;
    };
    expect(config).toMatchObject({ architecture: "amd64", os: "linux" });
    expect(config.config).toMatchObject({
      Entrypoint: ["/app/run.sh"],
      Cmd: ["--verbose"],
      WorkingDir: "/app",
      User: "1000:1000",
      Labels: { purpose: "integration" },
    });
    expect(config.config.Env).toContain("MODE=test");

    expect(manifest.layers).toHaveLength(1);
    const layer = join(cacheDir, "layer.tar.gz");
    execFileSync("sh", [
      "-c",
      `tar -xOf "${built.tarball}" "blobs/sha256/${manifest.layers[0]!.digest.replace("sha256:", "")}" > "${layer}"`,
    ]);
    const files = execFileSync("tar", ["-tzvf", layer], { encoding: "utf8" });
    expect(files).toMatch(/-rwxr-xr-x .* app\/run\.sh/);
  });

  it("takes the second build of the same spec from the cache, and rebuilds when an input changes", async () => {
    const again = await buildImage(spec, () => undefined, cacheDir);
    expect(again.cached).toBe(true);
    const changed = await buildImage({ ...spec, inputs: ["app.sh v2"] }, () => undefined, cacheDir);
    expect(changed.cached).toBe(false);
    expect(changed.tarball).not.toBe(again.tarball);
  });
});
