/**
 * The reconcilers' Kubernetes adapter: raw REST over one keep-alive HTTPS agent with our own
 * field manager. kubernetes-fluent-client applies as field manager "pepr" (shared with any other
 * Pepr code) and has no strategic-merge or status-subresource patches, which the node
 * annotation and node condition need.
 */
import { Agent, request, type RequestOptions } from "node:https";
import { KubeConfig } from "@kubernetes/client-node";

export class KubeError extends Error {
  constructor(
    readonly status: number,
    readonly method: string,
    readonly path: string,
    body: string,
  ) {
    super(`${method} ${path} failed with HTTP ${status}: ${body.slice(0, 500)}`);
    this.name = "KubeError";
  }
}

export const isNotFound = (err: unknown): boolean => err instanceof KubeError && err.status === 404;

export const CONTENT = {
  json: "application/json",
  apply: "application/apply-patch+yaml",
  merge: "application/merge-patch+json",
  strategic: "application/strategic-merge-patch+json",
} as const;

export interface ListResult<T> {
  items: T[];
  metadata?: { resourceVersion?: string; continue?: string };
}

export class KubeClient {
  readonly #kc: KubeConfig;
  readonly #server: URL;
  readonly #agent = new Agent({ keepAlive: true, maxSockets: 32 });

  constructor(
    kc: KubeConfig,
    readonly fieldManager: string,
  ) {
    this.#kc = kc;
    const server = kc.getCurrentCluster()?.server;
    if (!server) throw new Error("the kubeconfig names no cluster server");
    this.#server = new URL(server);
  }

  /** In a cluster: the service account; locally: $KUBECONFIG or ~/.kube/config. */
  static fromEnvironment(fieldManager: string): KubeClient {
    const kc = new KubeConfig();
    kc.loadFromDefault();
    return new KubeClient(kc, fieldManager);
  }

  async request<T>(method: string, path: string, body?: unknown, contentType?: string): Promise<T> {
    const url = new URL(path, this.#server);
    const opts: RequestOptions = {
      method,
      hostname: url.hostname,
      port: url.port,
      path: url.pathname + url.search,
      agent: this.#agent,
      headers: { Accept: CONTENT.json } as Record<string, string>,
    };
    await this.#kc.applyToHTTPSOptions(opts);
    const payload = body === undefined ? undefined : JSON.stringify(body);
    if (payload !== undefined) {
      (opts.headers as Record<string, string>)["Content-Type"] = contentType ?? CONTENT.json;
    }
    opts.agent = this.#agent;
    return new Promise<T>((resolve, reject) => {
      const req = request(opts, res => {
        const chunks: Buffer[] = [];
        res.on("data", c => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300) resolve((text ? JSON.parse(text) : {}) as T);
          else reject(new KubeError(status, method, path, text));
        });
        res.on("error", reject);
      });
      req.on("error", err => reject(new Error(`${method} ${path} failed`, { cause: err })));
      req.end(payload);
    });
  }

  async list<T>(path: string, labelSelector?: string): Promise<T[]> {
    const query = labelSelector ? `?labelSelector=${encodeURIComponent(labelSelector)}` : "";
    return (await this.request<ListResult<T>>("GET", `${path}${query}`)).items ?? [];
  }

  get<T>(path: string): Promise<T> {
    return this.request<T>("GET", path);
  }

  /** Server-side apply, forcing ownership: this reconciler is the only writer of these fields. */
  apply<T>(path: string, obj: unknown): Promise<T> {
    const q = `?fieldManager=${encodeURIComponent(this.fieldManager)}&force=true`;
    return this.request<T>("PATCH", `${path}${q}`, obj, CONTENT.apply);
  }

  patch<T>(path: string, patch: unknown, type: "merge" | "strategic" = "merge"): Promise<T> {
    const q = `?fieldManager=${encodeURIComponent(this.fieldManager)}`;
    return this.request<T>("PATCH", `${path}${q}`, patch, CONTENT[type]);
  }

  create<T>(path: string, obj: unknown): Promise<T> {
    return this.request<T>("POST", path, obj);
  }

  /** Deletes; an object that is already gone counts as deleted. */
  async delete(path: string): Promise<void> {
    try {
      await this.request("DELETE", path);
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  close(): void {
    this.#agent.destroy();
  }
}

export const paths = {
  configMaps: (ns: string): string => `/api/v1/namespaces/${ns}/configmaps`,
  configMap: (ns: string, name: string): string => `/api/v1/namespaces/${ns}/configmaps/${name}`,
  allConfigMaps: (): string => `/api/v1/configmaps`,
  roles: (ns: string): string => `/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}/roles`,
  role: (ns: string, name: string): string => `${paths.roles(ns)}/${name}`,
  roleBindings: (ns: string): string =>
    `/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}/rolebindings`,
  roleBinding: (ns: string, name: string): string => `${paths.roleBindings(ns)}/${name}`,
  node: (name: string): string => `/api/v1/nodes/${name}`,
  nodeStatus: (name: string): string => `/api/v1/nodes/${name}/status`,
  events: (ns: string): string => `/api/v1/namespaces/${ns}/events`,
};
