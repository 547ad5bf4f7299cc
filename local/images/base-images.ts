/**
 * The two images every run needs: the pod sandbox's pause image (containerd's sandbox_image)
 * and a busybox for shell workloads, both from Debian packages on the machine.
 *
 * pause is a 20-line C program built with `gcc -static` rather than a busybox shell loop: a
 * shell as PID 1 runs a SIGTERM trap only after its foreground `sleep` returns and does not
 * reap orphans it did not start, while pause must exit at once on SIGTERM and reap every child.
 */
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { PAUSE_IMAGE } from "../containerd/config.js";
import type { ImageSpec } from "./image-spec.js";

const execFileP = promisify(execFile);
const PAUSE_SOURCE = join(dirname(fileURLToPath(import.meta.url)), "pause.c");
const BUSYBOX = "/bin/busybox";

export const BUSYBOX_IMAGE = "docker.io/kubeedge-ts/busybox:1.36";

const sha256 = (file: string): string =>
  createHash("sha256").update(readFileSync(file)).digest("hex");

function splitRef(ref: string): { name: string; tag: string } {
  const at = ref.lastIndexOf(":");
  return { name: ref.slice(0, at), tag: ref.slice(at + 1) };
}

export function pauseImage(): ImageSpec {
  return {
    ...splitRef(PAUSE_IMAGE),
    inputs: [`pause.c ${sha256(PAUSE_SOURCE)}`],
    config: { entrypoint: ["/pause"], user: "65535:65535" },
    rootfs: async dir => {
      await execFileP("gcc", ["-static", "-O2", "-s", "-o", join(dir, "pause"), PAUSE_SOURCE]);
    },
  };
}

/** /etc files a shell image needs for `id`, `ls -l` and friends to name users. */
const PASSWD =
  "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n";
const GROUP = "root:x:0:\nnogroup:x:65534:\n";

export function busyboxImage(): ImageSpec {
  return {
    ...splitRef(BUSYBOX_IMAGE),
    inputs: [`busybox ${sha256(BUSYBOX)}`],
    config: {
      cmd: ["sh"],
      env: { PATH: "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" },
    },
    rootfs: async dir => {
      for (const d of ["bin", "etc", "root", "tmp", "var", "usr/bin", "usr/sbin", "sbin"]) {
        mkdirSync(join(dir, d), { recursive: true });
      }
      chmodSync(join(dir, "tmp"), 0o1777);
      copyFileSync(BUSYBOX, join(dir, "bin/busybox"));
      chmodSync(join(dir, "bin/busybox"), 0o755);
      const { stdout } = await execFileP(BUSYBOX, ["--list-full"]);
      for (const applet of stdout.split("\n").filter(Boolean)) {
        if (applet === "bin/busybox") continue;
        mkdirSync(join(dir, dirname(applet)), { recursive: true });
        symlinkSync("/bin/busybox", join(dir, applet));
      }
      writeFileSync(join(dir, "etc/passwd"), PASSWD);
      writeFileSync(join(dir, "etc/group"), GROUP);
    },
  };
}

export const baseImages = (): ImageSpec[] => [pauseImage(), busyboxImage()];
