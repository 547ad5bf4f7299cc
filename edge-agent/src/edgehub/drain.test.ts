/**
 * The outbox never loses data silently: a real SQLite file, the real Outbox and drainer, and
 * an apiserver whose answers the test chooses (the only fake: HTTP statuses).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eventually } from "@kubeedge-ts/testkit";
import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { ApiError, type KubeClient } from "../kube/client.js";
import { Counter } from "../observability/metrics.js";
import { openDatabase, type Database } from "../store/database.js";
import { OutboxKind, Outbox } from "../store/outbox.js";
import { isCredentialRefusal, OutboxDrainer } from "./drain.js";

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0).reverse()) c();
});

/** An apiserver that answers with `status()`'s error, or records the write when undefined. */
class ScriptedApiserver {
  answer: () => ApiError | undefined = () => undefined;
  /** A request to a path for which this returns a promise waits for it (a slow answer). */
  hold: (path: string) => Promise<void> | undefined = () => undefined;
  readonly started: string[] = [];
  readonly delivered: string[] = [];
  async request(_method: string, path: string): Promise<unknown> {
    this.started.push(path);
    await this.hold(path);
    const error = this.answer();
    if (error) throw error;
    this.delivered.push(path);
    return {};
  }
}

function setup(deadLetterAfter = 3) {
  const dir = mkdtempSync(join(tmpdir(), "outbox-drain-"));
  const db: Database = openDatabase(join(dir, "edge.db"));
  const outbox = new Outbox(db);
  const api = new ScriptedApiserver();
  const reloads: number[] = [];
  const deadLettered = new Counter("dead", "dead");
  const refusals = new Counter("refusals", "refusals");
  const drainer = new OutboxDrainer(
    api as unknown as KubeClient,
    outbox,
    "edge-1",
    pino({ level: "silent" }),
    new Counter("sent", "sent"),
    {
      reloadCredentials: () => reloads.push(Date.now()),
      deadLettered,
      credentialRefusals: refusals,
      deadLetterAfter,
    },
  );
  const abort = new AbortController();
  let running: Promise<void> | undefined;
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  cleanups.push(() => db.close());
  cleanups.push(() => abort.abort());
  const start = (): void => {
    running = drainer.run(abort.signal);
  };
  const stop = async () => {
    abort.abort();
    await running;
  };
  return { outbox, api, drainer, reloads, deadLettered, refusals, start, stop };
}

function podStatus(outbox: Outbox, name: string): void {
  outbox.enqueue(OutboxKind.PodStatus, `default/${name}`, {
    namespace: "default",
    name,
    status: { phase: "Running" },
  });
}

describe("the outbox drain", () => {
  it("an expired node certificate keeps the outbox", async () => {
    const t = setup();
    for (const n of ["a", "b", "c"]) podStatus(t.outbox, n);
    t.api.answer = () => new ApiError(401, "Unauthorized", "Unauthorized");
    t.start();
    await eventually("credentials re-read twice", async () => t.reloads.length >= 2, 20_000, 50);
    expect(t.outbox.depth()).toBe(3);
    expect(t.outbox.deadLetterCount()).toBe(0);
    expect(t.outbox.peek().map(e => e.attempts)).toEqual([0, 0, 0]);
    // The renewed certificate is accepted: everything goes up, in order.
    t.api.answer = () => undefined;
    await eventually("backlog delivered", async () => t.outbox.depth() === 0, 20_000, 50);
    expect(t.api.delivered).toEqual(
      ["a", "b", "c"].map(n => `/api/v1/namespaces/default/pods/${n}/status`),
    );
    await t.stop();
  });

  it("an RBAC 403 pauses the drain instead of deleting the backlog", async () => {
    const t = setup();
    podStatus(t.outbox, "a");
    const rbac =
      'pods "a" is forbidden: User "system:node:edge-1" cannot patch resource "pods/status"';
    t.api.answer = () => new ApiError(403, "Forbidden", rbac);
    t.start();
    await eventually("drain paused", async () => t.refusals.get() >= 1, 20_000, 50);
    await t.stop();
    expect(t.outbox.depth()).toBe(1);
    expect(t.outbox.deadLetterCount()).toBe(0);
  });

  it("a report the apiserver refuses for good is dead-lettered after N attempts, not deleted", async () => {
    const t = setup(3);
    podStatus(t.outbox, "bad");
    podStatus(t.outbox, "good");
    t.api.answer = () =>
      t.api.delivered.length === 0 && t.outbox.peek(1)[0]?.key === "default/bad"
        ? new ApiError(422, "Invalid", "status.phase: Unsupported value")
        : undefined;
    t.start();
    await eventually("good report delivered", async () => t.outbox.depth() === 0, 20_000, 50);
    await t.stop();
    const dead = t.outbox.deadLetters();
    expect(dead).toHaveLength(1);
    expect(dead[0]).toMatchObject({ key: "default/bad", attempts: 3 });
    expect(dead[0]!.lastError).toContain("Unsupported value");
    expect(t.deadLettered.get({ kind: OutboxKind.PodStatus })).toBe(1);
    expect(t.api.delivered).toEqual(["/api/v1/namespaces/default/pods/good/status"]);
  });

  it("a send outliving its session is not overtaken by the next session's drain", async () => {
    const t = setup();
    podStatus(t.outbox, "a");
    podStatus(t.outbox, "b");
    const path = (n: string) => `/api/v1/namespaces/default/pods/${n}/status`;
    let answerA = (): void => undefined;
    const slow = new Promise<void>(resolve => (answerA = resolve));
    t.api.hold = p => (p === path("a") ? slow : undefined);
    // The first session sends a, then ends (its Lease renewal failed) while a is on its way.
    const session = new AbortController();
    const first = t.drainer.run(session.signal);
    await eventually("a on its way", async () => t.api.started.length === 1, 20_000, 10);
    session.abort();
    t.start();
    // The next session must not send b before a is answered.
    await new Promise(resolve => setTimeout(resolve, 300));
    expect(t.api.started).toEqual([path("a")]);
    answerA();
    await first;
    await eventually("both delivered", async () => t.outbox.depth() === 0, 20_000, 10);
    await t.stop();
    expect(t.api.delivered).toEqual([path("a"), path("b")]);
  });

  it.each([
    // The authorizer (RBAC, Node authorizer): the node's rights, not the entry.
    [401, "Unauthorized", "Unauthorized", true],
    [
      403,
      "Forbidden",
      'devices.devices.kubeedge.io "thermo" is forbidden: User "system:node:edge-1" cannot patch resource "devices" in API group "devices.kubeedge.io" in the namespace "default"',
      true,
    ],
    [
      403,
      "Forbidden",
      'pods "a" is forbidden: User "system:node:edge-1" cannot patch resource "pods/status" in API group "" in the namespace "default": no relationship found between node \'edge-1\' and this object',
      true,
    ],
    [
      403,
      "Forbidden",
      'events is forbidden: User "system:node:edge-1" cannot create resource "events" in API group "" in the namespace "plant"',
      true,
    ],
    [
      403,
      "Forbidden",
      'nodes "edge-1" is forbidden: User "system:anonymous" cannot patch resource "nodes/status" in API group "" at the cluster scope',
      true,
    ],
    [403, "Forbidden", 'forbidden: User "system:node:edge-1" cannot get path "/apis"', true],
    // Admission: about the entry, whatever the status code.
    [
      403,
      "Forbidden",
      'admission webhook "kubeedge-ts-devices.pepr.dev" denied the request: User "system:node:edge-1" cannot patch resource "devices" bound to node edge-2',
      false,
    ],
    [
      403,
      "Forbidden",
      "devices.devices.kubeedge.io \"thermo\" is forbidden: ValidatingAdmissionPolicy 'kubeedge-ts-node-device-writes' with binding 'kubeedge-ts-node-device-writes' denied request: a node writes only the status of Devices bound to it",
      false,
    ],
    [
      403,
      "Forbidden",
      'pods "a" is forbidden: node "edge-1" can only update pod status for pods with spec.nodeName set to it',
      false,
    ],
    [
      403,
      "Forbidden",
      'pods "a" is forbidden: exceeded quota: pods, requested: pods=1, used: pods=10, limited: pods=10',
      false,
    ],
    [
      403,
      "Forbidden",
      'events "edge-1.18c.7" is forbidden: unable to create new content in namespace plant because it is being terminated',
      false,
    ],
    [404, "NotFound", 'devices.devices.kubeedge.io "thermo" not found', false],
    [
      422,
      "Invalid",
      'Device.devices.kubeedge.io "thermo" is invalid: status.twins: Invalid value',
      false,
    ],
  ] as const)("a %s %s %j is a credential refusal: %s", (code, reason, message, refused) => {
    // As kube/client.ts builds it: the Status body, and a message with method and path in front.
    const body = { kind: "Status", apiVersion: "v1", status: "Failure", message, reason, code };
    const error = new ApiError(code, reason, `PATCH /apis/x: ${code} ${message}`, body);
    expect(isCredentialRefusal(error)).toBe(refused);
  });
});
