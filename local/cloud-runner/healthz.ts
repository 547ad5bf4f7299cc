import { get } from "node:https";

function probe(url: string, caPem: string): Promise<boolean> {
  return new Promise(resolve => {
    const req = get(url, { ca: caPem, timeout: 2000 }, res => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on("error", () => resolve(false));
    req.on("timeout", () => req.destroy());
  });
}

/**
 * Polls the module's /healthz until it answers 200. Pepr binds /healthz only after its store is
 * ready, and the webhook routes at the same moment, so 200 means admission requests will work.
 */
export async function waitForHealthz(
  url: string,
  caPem: string,
  exited: Promise<number | null>,
  timeoutMs: number,
): Promise<void> {
  let exitCode: number | null | undefined;
  void exited.then(code => (exitCode = code));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exitCode !== undefined) throw new Error(`the module exited with code ${exitCode}`);
    if (await probe(url, caPem)) return;
    await new Promise(r => setTimeout(r, 100));
  }
  throw new Error(`${url} not healthy after ${timeoutMs} ms`);
}
