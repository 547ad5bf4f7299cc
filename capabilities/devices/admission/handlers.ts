/**
 * Pepr handlers for users' DeviceModel and Device writes: read what the rules need from the
 * apiserver, run the pure rules, answer. Requests from edge nodes are the nodes capability's.
 */
import { Log, type PeprMutateRequest, type PeprValidateRequest } from "pepr";
import type { Device, DeviceModel } from "../../../crds/index.js";
import { requestingNode, type UserInfo } from "../../shared/node-identity.js";
import { listDevices, listDevicesNamed, modelOf } from "../../shared/lookups.js";
import { mutateDevice } from "./device-mutate.js";
import { deviceProblems } from "./device-rules.js";
import { deviceModelProblems } from "./devicemodel-rules.js";
import { modelDeletionDenial } from "./model-in-use.js";
import { namePerNodeProblems } from "./name-per-node.js";
import { denialMessage, type Problem } from "../../shared/problems.js";
import { schemaProblems } from "../../shared/schema.js";

type ValidateResponse = ReturnType<PeprValidateRequest<Device>["Approve"]>;
const log = Log.child({ component: "devices-admission" });

function idOf(o: { metadata?: { namespace?: string; name?: string } }): string {
  return `${o.metadata?.namespace ?? ""}/${o.metadata?.name ?? ""}`;
}

function fromNode(req: { Request: { userInfo?: UserInfo } }): boolean {
  return requestingNode(req.Request.userInfo) !== undefined;
}

export async function validateDeviceModel(
  req: PeprValidateRequest<DeviceModel>,
): Promise<ValidateResponse> {
  if (fromNode(req)) return req.Approve();
  const schema = schemaProblems("DeviceModel", req.Raw);
  const problems = schema.length > 0 ? schema : deviceModelProblems(req.Raw);
  const message = denialMessage(`DeviceModel ${idOf(req.Raw)}`, problems);
  if (message) log.info({ model: idOf(req.Raw), problems }, "DeviceModel denied");
  return message ? req.Deny(message) : req.Approve();
}

/** Problems of a device; a denial based on a cached model is re-checked with a fresh read. */
async function problemsOf(device: Device): Promise<Problem[]> {
  const schema = schemaProblems("Device", device);
  if (schema.length > 0) return schema;
  const first = await modelOf(device);
  let problems = deviceProblems(device, first.model);
  if (problems.length > 0 && first.cached) {
    problems = deviceProblems(device, (await modelOf(device, { fresh: true })).model);
  }
  if (problems.length > 0) return problems;
  return namePerNodeProblems(device, await listDevicesNamed(device.metadata?.name ?? ""));
}

export async function validateDevice(req: PeprValidateRequest<Device>): Promise<ValidateResponse> {
  if (fromNode(req)) return req.Approve();
  const problems = await problemsOf(req.Raw);
  const message = denialMessage(`Device ${idOf(req.Raw)}`, problems);
  if (message) log.info({ device: idOf(req.Raw), problems }, "Device denied");
  return message ? req.Deny(message) : req.Approve();
}

export async function defaultDevice(req: PeprMutateRequest<Device>): Promise<void> {
  // Mutation runs before the apiserver checks the schema: leave a malformed object to the
  // schema's message instead of failing on it here.
  if (fromNode(req) || schemaProblems("Device", req.Raw).length > 0) return;
  // A dangling model reference is the validating webhook's to report; defaults still apply.
  const model = (await modelOf(req.Raw).catch(() => undefined))?.model;
  const stored = req.Request.operation === "UPDATE" ? (req.OldResource as Device) : undefined;
  req.Raw = mutateDevice(req.Raw, model, stored);
}

export async function denyDeletingModelInUse(
  req: PeprValidateRequest<DeviceModel>,
): Promise<ValidateResponse> {
  const namespace = req.Raw.metadata?.namespace ?? "default";
  const message = modelDeletionDenial(req.Raw, await listDevices(namespace));
  return message ? req.Deny(message) : req.Approve();
}
