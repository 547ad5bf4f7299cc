/**
 * Client certificate rotation, as the kubelet does it: before the certificate in the node
 * kubeconfig expires, a new key and a CSR for the same `system:node:<n>` identity, authenticated
 * by the current certificate (the cluster auto-approves "selfnodeclient" renewals). The new
 * kubeconfig replaces the old one atomically and the API client switches to it for new
 * connections; open watches finish on the old connection, so the cloud link stays up.
 */
import { X509Certificate } from "node:crypto";
import { renameSync, writeFileSync } from "node:fs";
import type { Logger } from "pino";
import type { EdgeHubConfig } from "../config/types.js";
import type { KubeClient } from "../kube/client.js";
import { readCredentials, renderNodeKubeconfig } from "../kube/kubeconfig.js";
import { requestNodeCertificate } from "../join/csr-client.js";
import { keyToPem, newNodeKey } from "../join/csr.js";
import type { Counter } from "../observability/metrics.js";

const RETRY_MS = 30_000;
/** setTimeout's ceiling (~24.8 days): longer waits are taken in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** When to renew: `renewBeforeSeconds` before expiry, or at 80% of the lifetime. */
export function renewAt(cert: { validFrom: string; validTo: string }, renewBeforeSeconds: number) {
  const from = Date.parse(cert.validFrom);
  const to = Date.parse(cert.validTo);
  if (renewBeforeSeconds > 0) return to - renewBeforeSeconds * 1000;
  return from + 0.8 * (to - from);
}

export class CertificateRotator {
  private timer?: NodeJS.Timeout;
  private stopped = false;

  constructor(
    private readonly hub: EdgeHubConfig,
    private readonly nodeName: string,
    private readonly client: KubeClient,
    private readonly log: Logger,
    private readonly rotations: Counter,
  ) {}

  start(): void {
    this.schedule();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private schedule(delayMs?: number): void {
    if (this.stopped) return;
    const cert = new X509Certificate(readCredentials(this.hub.kubeconfig).cert);
    const wait =
      delayMs ?? Math.max(0, renewAt(cert, this.hub.certificateRenewBeforeSeconds) - Date.now());
    this.log.info(
      { validTo: cert.validTo, renewInMs: wait },
      "client certificate rotation scheduled",
    );
    this.timer = setTimeout(
      () => {
        if (wait > MAX_TIMER_MS) return this.schedule();
        this.rotate().then(
          () => this.schedule(),
          error => {
            this.log.warn({ err: error, retryInMs: RETRY_MS }, "certificate rotation failed");
            this.schedule(RETRY_MS);
          },
        );
      },
      Math.min(wait, MAX_TIMER_MS),
    );
    this.timer.unref();
  }

  private async rotate(): Promise<void> {
    const current = readCredentials(this.hub.kubeconfig);
    const key = newNodeKey();
    const issued = await requestNodeCertificate(
      {
        server: current.server,
        ca: current.ca?.toString() ?? "",
        cert: current.cert.toString(),
        key: current.key.toString(),
      },
      this.nodeName,
      key,
      this.hub.requestTimeoutMs * 6,
      this.hub.certificateValiditySeconds || undefined,
    );
    const text = renderNodeKubeconfig({
      server: current.server,
      caPem: current.ca?.toString() ?? "",
      certPem: issued.certPem,
      keyPem: keyToPem(key),
      nodeName: this.nodeName,
    });
    const tmp = `${this.hub.kubeconfig}.rotating`;
    writeFileSync(tmp, text, { mode: 0o600 });
    renameSync(tmp, this.hub.kubeconfig);
    this.client.reload(readCredentials(this.hub.kubeconfig));
    this.rotations.inc();
    const cert = new X509Certificate(issued.certPem);
    this.log.info(
      { csr: issued.csrName, serial: cert.serialNumber, validTo: cert.validTo },
      "client certificate rotated",
    );
  }
}
