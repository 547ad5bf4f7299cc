/**
 * Everything wrong with a Device that its schema cannot say, given its DeviceModel (looked up in
 * the device's namespace by the handler; undefined when there is none).
 */
import type { Device, DeviceModel, DeviceModelProperty } from "../../../crds/index.js";
import { resolveNode } from "../../shared/node-binding.js";
import { problem, type Problem } from "../../shared/problems.js";
import { dataProblems, twinsProblems } from "./twin-rules.js";
import { protocolProblems, visitorProblems } from "./visitor-rules.js";

export function modelProperties(model: DeviceModel): Map<string, DeviceModelProperty> {
  return new Map((model.spec?.properties ?? []).map(p => [p.name, p]));
}

export function deviceProblems(device: Device, model: DeviceModel | undefined): Problem[] {
  const out: Problem[] = [];
  const binding = resolveNode(device);
  if ("problem" in binding) out.push(binding.problem);
  out.push(...protocolProblems(device));
  const modelName = device.spec?.deviceModelRef?.name;
  if (!modelName) return [...out, problem("spec.deviceModelRef.name", "is required")];
  if (!model) {
    const ns = device.metadata?.namespace ?? "default";
    return [
      ...out,
      problem("spec.deviceModelRef.name", `names no DeviceModel in namespace ${ns}`, modelName),
    ];
  }
  const props = modelProperties(model);
  out.push(
    ...visitorProblems(device, new Set(props.keys()), modelName),
    ...twinsProblems(device, props, modelName),
    ...dataProblems(device, props, modelName),
  );
  return out;
}
