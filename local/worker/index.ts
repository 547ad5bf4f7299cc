export { type StartClusterOptions, startCluster, stopCluster } from "./cluster.js";
export { kubeChainsLeft, readSysctls } from "./host-leftovers.js";
export { workerImages } from "./images.js";
export { workerLayout } from "./layout.js";
export { releaseWorkerSlot, reserveWorkerSlot, workerSlotHolder } from "./one-per-host.js";
export { nodeAddress } from "./node-address.js";
export { nodeReady, type WorkerStatus, workerStatus } from "./status.js";
export { stopWorker, WORKER_PROCESSES } from "./teardown.js";
export { defaultWorkerName, startWorker, type StartWorkerOptions } from "./worker.js";
