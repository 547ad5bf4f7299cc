/** The reads admission needs from the apiserver, with the module's own identity. */
import { K8s } from "pepr";
import { Device, DeviceModel } from "../../crds/index.js";

function isNotFound(err: unknown): boolean {
  return (err as { status?: number })?.status === 404;
}

export async function getDeviceModel(
  namespace: string,
  name: string,
): Promise<DeviceModel | undefined> {
  try {
    return await K8s(DeviceModel).InNamespace(namespace).Get(name);
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw new Error(`reading DeviceModel ${namespace}/${name} failed`, { cause: err });
  }
}

export async function listDevices(namespace: string): Promise<Device[]> {
  try {
    return (await K8s(Device).InNamespace(namespace).Get()).items;
  } catch (err) {
    throw new Error(`listing Devices in ${namespace} failed`, { cause: err });
  }
}

/** The model a device references, or undefined when the reference is empty or dangling. */
export async function modelOf(device: Device): Promise<DeviceModel | undefined> {
  const name = device.spec?.deviceModelRef?.name;
  if (!name) return undefined;
  return getDeviceModel(device.metadata?.namespace ?? "default", name);
}
