import { describe, expect, it } from "vitest";
import { parseLdd } from "./node-runtime.js";

describe("parseLdd", () => {
  it("lists the resolved libraries and the loader, not the vDSO", () => {
    const out = [
      "\tlinux-vdso.so.1 (0x00007fee34891000)",
      "\tlibstdc++.so.6 => /lib/x86_64-linux-gnu/libstdc++.so.6 (0x00007fee34600000)",
      "\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007fee3433e000)",
      "\t/lib64/ld-linux-x86-64.so.2 (0x00007fee34893000)",
      "",
    ].join("\n");
    expect(parseLdd(out)).toEqual([
      "/lib/x86_64-linux-gnu/libstdc++.so.6",
      "/lib/x86_64-linux-gnu/libc.so.6",
      "/lib64/ld-linux-x86-64.so.2",
    ]);
  });

  it("ignores libraries ldd could not find", () => {
    expect(parseLdd("\tlibfoo.so.1 => not found\n")).toEqual([]);
  });
});
