/** The reads admission needs from the apiserver, with the module's own identity. */
import { K8s } from "pepr";
import { Device, DeviceModel } from "../../crds/index.js";
import { TtlCache } from "./ttl-cache.js";

function isNotFound(err: unknown): boolean {
  return (err as { status?: number })?.status === 404;
}

/** Models (and their absence) seen in the last few seconds, keyed `namespace/name`. */
const models = new TtlCache<DeviceModel | null>(5_000);

export interface ModelLookup {
  model: DeviceModel | undefined;
  /** True when the answer came from the cache; deny only on a fresh answer. */
  cached: boolean;
}

export async function getDeviceModel(
  namespace: string,
  name: string,
  opts: { fresh?: boolean } = {},
): Promise<ModelLookup> {
  const key = `${namespace}/${name}`;
  const hit = opts.fresh ? undefined : models.get(key);
  if (hit !== undefined) return { model: hit ?? undefined, cached: true };
  try {
    const model = await K8s(DeviceModel).InNamespace(namespace).Get(name);
    models.set(key, model);
    return { model, cached: false };
  } catch (err) {
    if (!isNotFound(err)) {
      throw new Error(`reading DeviceModel ${namespace}/${name} failed`, { cause: err });
    }
    models.set(key, null);
    return { model: undefined, cached: false };
  }
}

export async function listDevices(namespace: string): Promise<Device[]> {
  try {
    return (await K8s(Device).InNamespace(namespace).Get()).items;
  } catch (err) {
    throw new Error(`listing Devices in ${namespace} failed`, { cause: err });
  }
}

/** Every Device with this name, in any namespace: always read fresh from the apiserver. */
export async function listDevicesNamed(name: string): Promise<Device[]> {
  try {
    return (await K8s(Device).WithField("metadata.name", name).Get()).items;
  } catch (err) {
    throw new Error(`listing Devices named ${name} failed`, { cause: err });
  }
}

/** The model a device references; `model` is undefined when the reference is empty or dangling. */
export async function modelOf(
  device: Device,
  opts: { fresh?: boolean } = {},
): Promise<ModelLookup> {
  const name = device.spec?.deviceModelRef?.name;
  if (!name) return { model: undefined, cached: false };
  return getDeviceModel(device.metadata?.namespace ?? "default", name, opts);
}
