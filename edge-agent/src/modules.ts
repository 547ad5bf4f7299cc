import type { AgentModule } from "./beehive/module.js";
import { EdgeHubModule } from "./edgehub/index.js";
import { DeviceTwinModule } from "./devicetwin/index.js";
import { EdgedModule } from "./edged/index.js";
import { EventBusModule } from "./eventbus/index.js";
import { MetaManagerModule } from "./metamanager/index.js";

/**
 * Every module of the agent, in start order. A module added here is put on the bus when its
 * config section enables it, and its migrations are applied either way.
 */
export function allModules(): AgentModule[] {
  return [
    new MetaManagerModule(),
    new EdgedModule(),
    new DeviceTwinModule(),
    new EventBusModule(),
    new EdgeHubModule(),
  ];
}
