export { BUSYBOX_IMAGE, baseImages, busyboxImage, pauseImage } from "./base-images.js";
export { type BuiltImage, buildImage, imagesCacheDir } from "./build-image.js";
export { type ImageConfig, type ImageSpec, imageRef } from "./image-spec.js";
export { importImage, importImages } from "./import-image.js";
export {
  BLUETOOTH_MAPPER_IMAGE,
  MODBUS_MAPPER_IMAGE,
  bluetoothMapperOptions,
  mapperImages,
  modbusMapperOptions,
} from "./mapper-images.js";
export { APP_DIR, type NodeAppImageOptions, nodeAppImage } from "./node-app-image.js";
export {
  PEPR_CONTROLLER_UID,
  peprControllerImage,
  peprControllerImageRef,
} from "./pepr-controller-image.js";
