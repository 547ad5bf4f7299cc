/**
 * Rules for the desired twin values a user writes into `status.twins[].desired`: the property
 * exists, is writable, and the text parses as the model's type within its bounds. An empty
 * value is a declaration, not a command: KubeEdge users list a read-only property's twin as
 * `desired: {metadata: {type: int}, value: ''}` because mappers-go polls only listed twins and
 * reads the type from there; the agent and the mappers never turn it into a write. Reported
 * values are the device's to write and are not judged here.
 */
import { checkTwinValue } from "@kubeedge-ts/contract";
import type { Device, DeviceModelProperty } from "../../../crds/index.js";
import { resolveType } from "./model-types.js";
import { problem, type Problem } from "../../shared/problems.js";

type Twin = NonNullable<NonNullable<Device["status"]>["twins"]>[number];

export function desiredValueProblems(
  path: string,
  prop: DeviceModelProperty,
  text: string,
): Problem[] {
  const resolved = resolveType(prop);
  if (!resolved) return []; // the model is broken; its own admission says why
  if (text === "") return []; // a declaration of the twin, on any property
  if (resolved.spec.accessMode === "ReadOnly") {
    return [problem(path, `sets a desired value on ReadOnly property ${prop.name}`, text)];
  }
  const checked = checkTwinValue(resolved.kind, resolved.spec, text);
  if (checked.ok) return [];
  return [problem(path, `${checked.reason} (property ${prop.name} is ${resolved.kind})`, text)];
}

function twinProblems(
  twin: Twin,
  i: number,
  props: Map<string, DeviceModelProperty>,
  model: string,
): Problem[] {
  const path = `status.twins[${i}]`;
  const prop = props.get(twin.propertyName ?? "");
  if (!prop) {
    return [
      problem(
        `${path}.propertyName`,
        `is not a property of DeviceModel ${model}`,
        twin.propertyName,
      ),
    ];
  }
  if (twin.desired === undefined || twin.desired === null) return [];
  return desiredValueProblems(`${path}.desired.value`, prop, twin.desired.value);
}

export function twinsProblems(
  device: Device,
  props: Map<string, DeviceModelProperty>,
  model: string,
): Problem[] {
  const out: Problem[] = [];
  const seen = new Set<string>();
  (device.status?.twins ?? []).forEach((twin, i) => {
    out.push(...twinProblems(twin, i, props, model));
    const name = twin.propertyName;
    if (name && seen.has(name)) {
      out.push(problem(`status.twins[${i}].propertyName`, "has more than one twin", name));
    }
    if (name) seen.add(name);
  });
  return out;
}

export function dataProblems(
  device: Device,
  props: Map<string, DeviceModelProperty>,
  model: string,
): Problem[] {
  return (device.spec?.data?.dataProperties ?? []).flatMap((d, i) =>
    props.has(d.propertyName ?? "")
      ? []
      : [
          problem(
            `spec.data.dataProperties[${i}].propertyName`,
            `is not a property of DeviceModel ${model}`,
            d.propertyName,
          ),
        ],
  );
}
