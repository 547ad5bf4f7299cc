export { PAUSE_IMAGE, type PodNetwork, containerdPaths } from "./config.js";
export {
  type RunningContainerd,
  type StartContainerdOptions,
  startContainerd,
} from "./containerd.js";
export { ctr } from "./ctr.js";
export { podMasqueradePackets } from "./pod-masquerade.js";
export { hostHasBridge, iptablesMentions, pidsMentioning } from "./host-cleanup.js";
export { containerdAlive, teardownContainerd } from "./teardown.js";
