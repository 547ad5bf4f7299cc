import { mkdtempSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startChild, type Child } from "./child.js";
import { freePort } from "./free-port.js";
import { eventually } from "./eventually.js";

export interface Broker {
  port: number;
  url: string;
  stop(): Promise<void>;
}

function canConnect(port: number): Promise<boolean> {
  return new Promise(resolve => {
    const s = connect(port, "127.0.0.1");
    s.once("connect", () => (s.destroy(), resolve(true)));
    s.once("error", () => resolve(false));
  });
}

/** Starts Debian's mosquitto on 127.0.0.1, on `port` or a free one. */
export async function startMosquitto(opts: { port?: number; bin?: string } = {}): Promise<Broker> {
  const bin = opts.bin ?? "/usr/sbin/mosquitto";
  const dir = mkdtempSync(join(tmpdir(), "mosquitto-"));
  let lastChild: Child | undefined;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = opts.port ?? (await freePort());
    const conf = join(dir, "mosquitto.conf");
    writeFileSync(conf, `listener ${port} 127.0.0.1\nallow_anonymous true\npersistence false\n`);
    const child = startChild(bin, ["-c", conf]);
    lastChild = child;
    try {
      await eventually(
        "mosquitto to listen",
        async () => child.proc.exitCode === null && (await canConnect(port)),
        5000,
      );
      return { port, url: `mqtt://127.0.0.1:${port}`, stop: () => child.stop() };
    } catch {
      await child.stop(); // port taken between freePort() and bind: try another
    }
  }
  throw new Error(`mosquitto did not start: ${lastChild?.output()}`);
}
