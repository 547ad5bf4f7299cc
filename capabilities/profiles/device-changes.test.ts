import type { Device } from "../../crds/index.js";
import { DeviceChangeFilter, profileFingerprint } from "./device-changes.js";

function device(twins: object[], extra: Partial<Device> = {}): Device {
  return {
    apiVersion: "devices.kubeedge.io/v1beta1",
    kind: "Device",
    metadata: { name: "thermo-1", namespace: "plant" },
    spec: { deviceModelRef: { name: "thermometer" }, nodeSelector: {} },
    status: { twins },
    ...extra,
  } as unknown as Device;
}

const desired = (value: string): object => ({
  propertyName: "enable",
  desired: { value, metadata: { type: "string" } },
});
const reported = (value: string): object => ({
  propertyName: "temperature",
  reported: { value, metadata: { timestamp: String(Date.now()) } },
});

describe("DeviceChangeFilter", () => {
  it("counts the first sighting, then only changes the profile is built from", () => {
    const f = new DeviceChangeFilter();
    expect(f.changed(device([desired("ON"), reported("20")]))).toBe(true);
    expect(f.changed(device([desired("ON"), reported("21")]))).toBe(false);
    const withState = device([desired("ON"), reported("22")]);
    (withState.status as { state?: string }).state = "online";
    expect(f.changed(withState)).toBe(false);
    expect(f.changed(device([desired("OFF"), reported("22")]))).toBe(true);
  });

  it("sees spec, label and deletion changes", () => {
    const f = new DeviceChangeFilter();
    const base = device([desired("ON")]);
    f.changed(base);
    const moved = device([desired("ON")], { spec: { deviceModelRef: { name: "other" } } } as never);
    expect(f.changed(moved)).toBe(true);
    const labelled = device([desired("ON")], {
      metadata: { name: "thermo-1", namespace: "plant", labels: { a: "b" } },
    } as never);
    expect(f.changed(labelled)).toBe(true);
    const deleting = device([desired("ON")], {
      metadata: { name: "thermo-1", namespace: "plant", deletionTimestamp: "2026-01-01T00:00:00Z" },
    } as never);
    expect(f.changed(deleting)).toBe(true);
  });

  it("counts a Device again after it was forgotten (deleted, then created anew)", () => {
    const f = new DeviceChangeFilter();
    const d = device([desired("ON")]);
    f.changed(d);
    f.forget(d);
    expect(f.changed(d)).toBe(true);
  });

  it("keeps Devices of the same name in different namespaces apart", () => {
    const f = new DeviceChangeFilter();
    f.changed(device([desired("ON")]));
    const other = device([desired("ON")], {
      metadata: { name: "thermo-1", namespace: "lab" },
    } as never);
    expect(f.changed(other)).toBe(true);
    expect(profileFingerprint(other)).toBe(profileFingerprint(device([desired("ON")])));
  });
});
