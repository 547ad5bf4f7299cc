import type { Logger } from "pino";
import type { Beehive } from "./context.js";
import { newMessage } from "./message.js";
import type { AgentModule, ModuleContext } from "./module.js";

export type SharedContext = Omit<ModuleContext, "name" | "log" | "send">;

/**
 * Starts and stops the registered modules in order (beehive's core.Run): enabled modules get a
 * mailbox and join their group before any module starts, so the first messages a module sends
 * at start reach modules registered after it.
 */
export class ModuleRunner {
  private readonly modules: AgentModule[] = [];
  private readonly started: AgentModule[] = [];

  constructor(
    private readonly shared: SharedContext,
    private readonly log: Logger,
  ) {}

  register(module: AgentModule): void {
    if (this.modules.some(m => m.name === module.name)) {
      throw new Error(`module "${module.name}" is registered twice`);
    }
    this.modules.push(module);
  }

  enabledModules(): AgentModule[] {
    return this.modules.filter(m => m.enabled(this.shared.config));
  }

  disabledModules(): string[] {
    return this.modules.filter(m => !m.enabled(this.shared.config)).map(m => m.name);
  }

  async start(): Promise<void> {
    const enabled = this.enabledModules();
    const bus: Beehive = this.shared.bus;
    for (const m of enabled) {
      bus.addModule(m.name);
      bus.addModuleGroup(m.name, m.group);
    }
    for (const m of enabled) {
      try {
        await m.start(this.contextFor(m));
      } catch (error) {
        throw new Error(`module ${m.name} failed to start`, { cause: error });
      }
      this.started.push(m);
      this.log.info({ module: m.name, group: m.group }, "module started");
    }
    const disabled = this.disabledModules();
    if (disabled.length > 0) this.log.info({ modules: disabled }, "modules disabled by config");
  }

  /** Stops started modules in reverse order; one failing stop does not keep others running. */
  async stop(): Promise<void> {
    for (const m of this.started.splice(0).reverse()) {
      try {
        await m.stop();
      } catch (error) {
        this.log.error({ module: m.name, err: error }, "module failed to stop");
      }
      this.shared.bus.cleanup(m.name);
    }
    this.shared.bus.cleanupAll();
  }

  private contextFor(m: AgentModule): ModuleContext {
    const bus = this.shared.bus;
    return {
      ...this.shared,
      name: m.name,
      log: this.log.child({ module: m.name }),
      send: (target, router, content) => {
        const message = newMessage({ ...router, source: m.name }, content);
        bus.send(target, message);
        return message;
      },
    };
  }
}
