/**
 * The unix socket of a CRI endpoint: `unix:///run/containerd/containerd.sock` (kubelet's form
 * of --container-runtime-endpoint) or the bare path. Runtimes on Linux serve CRI on a unix
 * socket only; anything else is refused here rather than dialled.
 */
export function criSocketPath(endpoint: string): string {
  if (endpoint.startsWith("unix://")) return endpoint.slice("unix://".length);
  if (endpoint.startsWith("/")) return endpoint;
  throw new Error(`CRI endpoint ${endpoint}: expected unix:///path/to/socket or /path/to/socket`);
}
