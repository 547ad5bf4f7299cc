/**
 * The simulated water plant the demo runs: pymodbus serves the registers (registers.ts) over
 * Modbus TCP and, once a tick, the plant reads the valve command a mapper wrote, advances the
 * physics (physics.ts) and writes the new level, pressure and fault back.
 */
import { startPymodbus } from "@kubeedge-ts/testkit";
import { initialState, step, TANK_HEIGHT_M, type PlantState } from "./physics.js";
import {
  LEVEL_SENSOR,
  PLANT_UNITS,
  PRESSURE_SENSOR,
  toCentimetres,
  toMillibar,
  VALVE_ACTUATOR,
} from "./registers.js";

export interface WaterPlantOptions {
  /** Where Modbus TCP listens on 127.0.0.1; default a free port. */
  port?: number;
  tickMs?: number;
  initialLevelM?: number;
}

export interface WaterPlant {
  host: string;
  port: number;
  /** The state after the last tick. */
  state(): PlantState;
  /** The valve's holding register as a Modbus master last wrote it. */
  commandedPercent(): Promise<number>;
  /**
   * A disturbance: the tank's level jumps to `levelM` (a tanker tops it up, a burst main drains
   * it) from the next tick on, so a controller can be watched reacting to it.
   */
  setLevel(levelM: number): void;
  stop(): Promise<void>;
}

export async function startWaterPlant(opts: WaterPlantOptions = {}): Promise<WaterPlant> {
  const server = await startPymodbus({ tcpPort: opts.port, slaves: PLANT_UNITS });
  const tickMs = opts.tickMs ?? 1000;
  let state = initialState(opts.initialLevelM);
  const publish = async (s: PlantState): Promise<void> => {
    await server.set(LEVEL_SENSOR.unit, "ir", LEVEL_SENSOR.levelRegister, [
      toCentimetres(s.levelM),
    ]);
    const pressure = toMillibar(s.pressureBar);
    await server.set(PRESSURE_SENSOR.unit, "ir", PRESSURE_SENSOR.pressureRegister, [pressure]);
    await server.set(VALVE_ACTUATOR.unit, "co", VALVE_ACTUATOR.faultCoil, [s.fault ? 1 : 0]);
  };
  const commandedPercent = async (): Promise<number> =>
    (await server.get(VALVE_ACTUATOR.unit, "hr", VALVE_ACTUATOR.positionRegister, 1))[0]!;
  await publish(state);
  let ticking: Promise<void> | undefined;
  const tick = async (): Promise<void> => {
    const command = await commandedPercent();
    // Read after the await: a disturbance set meanwhile is part of this tick.
    state = step(state, command, tickMs / 1000);
    await publish(state);
  };
  // One tick at a time: on a loaded machine a slow tick makes the next one skip, not pile up.
  const timer = setInterval(() => {
    ticking ??= tick()
      .catch(() => undefined)
      .finally(() => (ticking = undefined));
  }, tickMs);
  return {
    host: "127.0.0.1",
    port: server.port!,
    state: () => state,
    commandedPercent,
    setLevel: levelM => {
      state = { ...state, levelM: Math.min(TANK_HEIGHT_M, Math.max(0, levelM)) };
    },
    stop: async () => {
      clearInterval(timer);
      await ticking;
      await server.stop();
    },
  };
}
