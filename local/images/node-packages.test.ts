import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { keepPackageFile, planPackages } from "./node-packages.js";

const modbus = join(dirname(fileURLToPath(import.meta.url)), "../../mappers/modbus/src");
const here = `${process.platform}-${process.arch}`;

describe("keepPackageFile", () => {
  it("keeps code and this platform's prebuilt addon", () => {
    expect(keepPackageFile("dist/index.js")).toBe(true);
    expect(keepPackageFile("package.json")).toBe(true);
    expect(keepPackageFile(`prebuilds/${here}/x.glibc.node`)).toBe(true);
    expect(keepPackageFile("build/Release/addon.node")).toBe(true);
  });

  it("drops sources, objects, docs, types and other platforms' binaries", () => {
    expect(keepPackageFile("prebuilds/win32-x64/x.node")).toBe(false);
    expect(keepPackageFile("src/serialport_linux.cpp")).toBe(false);
    expect(keepPackageFile("build/Release/obj.target/addon.node")).toBe(false);
    expect(keepPackageFile("build/Makefile")).toBe(false);
    expect(keepPackageFile("README.md")).toBe(false);
    expect(keepPackageFile("dist/index.d.ts")).toBe(false);
    expect(keepPackageFile("test/basic.js")).toBe(false);
  });
});

describe("planPackages", () => {
  it("copies a native package with its runtime dependencies, minus skipped ones", () => {
    const plan = planPackages(["@serialport/bindings-cpp"], modbus, ["node-addon-api"]);
    const names = plan.map(p => p.name);
    expect(names[0]).toBe("@serialport/bindings-cpp");
    expect(names).toEqual(expect.arrayContaining(["node-gyp-build", "debug", "ms"]));
    expect(names).not.toContain("node-addon-api");
    expect(new Set(names).size).toBe(names.length);
    const bindings = plan[0]!;
    expect(bindings.target).toBe("node_modules/@serialport/bindings-cpp");
    expect(bindings.files.filter(f => f.endsWith(".node"))).toEqual(
      expect.arrayContaining([expect.stringMatching(new RegExp(`^prebuilds/${here}/`))]),
    );
    expect(bindings.files.every(f => !f.startsWith("prebuilds/") || f.includes(here))).toBe(true);
  });

  it("fails clearly for a package that is not installed", () => {
    expect(() => planPackages(["no-such-package-xyz"], modbus)).toThrow(/no-such-package-xyz/);
  });
});
