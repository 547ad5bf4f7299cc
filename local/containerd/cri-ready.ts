/** Whether a private containerd is ready for CRI clients (the agent, the tests). */
import { connectCri } from "../../edge-agent/src/edged/cri/client.js";
import { criPluginReady } from "./ctr.js";

/**
 * True once containerd's CRI server answers a Version call. Its plugin shows "ok" in
 * `ctr plugins ls` before the server has loaded its state; until then every CRI call fails
 * with "server is not initialized yet" (seen right after a restart).
 */
export async function criServing(socket: string): Promise<boolean> {
  if (!(await criPluginReady(socket))) return false;
  const cri = await connectCri(socket);
  try {
    await cri.version();
    return true;
  } catch {
    return false;
  } finally {
    cri.close();
  }
}
