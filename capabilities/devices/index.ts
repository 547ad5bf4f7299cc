/** Bindings of the devices capability; the logic lives in admission/. */
import { Device, DeviceModel } from "../../crds/index.js";
import { DevicesCapability, When } from "./capability.js";
import {
  defaultDevice,
  denyDeletingModelInUse,
  validateDevice,
  validateDeviceModel,
} from "./admission/handlers.js";

When(DeviceModel).IsCreatedOrUpdated().Validate(validateDeviceModel);
When(DeviceModel).IsDeleted().Validate(denyDeletingModelInUse);
When(Device).IsCreatedOrUpdated().Mutate(defaultDevice).Validate(validateDevice);

export { DevicesCapability as Devices };
