export * from "./beehive/index.js";
export * from "./store/index.js";
export * from "./config/index.js";
export * from "./metamanager/route.js";
export * from "./metamanager/references.js";
export * from "./observability/metrics.js";
export * from "./agent/agent.js";
export type { MetaQuery } from "./metamanager/index.js";
export * from "./modules.js";
export { EdgedModule } from "./edged/index.js";
export { EdgeHubModule } from "./edgehub/index.js";
export { MetaManagerModule } from "./metamanager/index.js";
export { EventBusModule } from "./eventbus/index.js";
export {
  loadOrCreateMqttCredentials,
  credentialsPath,
  type MqttCredentials,
  type UserPassword,
} from "./eventbus/credentials.js";
