/** Connection pool: one Endpoint per TCP address or serial port, shared by its devices. */
import { Endpoint, type EndpointOptions } from "./endpoint.js";
import { endpointKey, type EndpointTarget } from "./target.js";

export class EndpointPool {
  private readonly endpoints = new Map<string, Endpoint>();

  constructor(private readonly opts: EndpointOptions) {}

  acquire(target: EndpointTarget, slaveId: number): Endpoint {
    const key = endpointKey(target);
    let ep = this.endpoints.get(key);
    if (!ep) {
      ep = new Endpoint(target, this.opts);
      this.endpoints.set(key, ep);
    }
    ep.addSlave(slaveId);
    return ep;
  }

  async release(ep: Endpoint, slaveId: number): Promise<void> {
    if (!ep.removeSlave(slaveId) || this.endpoints.get(ep.key) !== ep) return;
    this.endpoints.delete(ep.key);
    await ep.close();
  }

  get size(): number {
    return this.endpoints.size;
  }

  async close(): Promise<void> {
    const all = [...this.endpoints.values()];
    this.endpoints.clear();
    await Promise.all(all.map(ep => ep.close()));
  }
}
