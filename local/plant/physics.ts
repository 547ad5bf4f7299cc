/**
 * The water plant's physics, one tick at a time: a reservoir tank filled by a varying inflow
 * and drained through a motorised outlet valve, and the line pressure next to the valve. Pure:
 * the simulator (plant.ts) feeds it the valve command it reads from the Modbus registers and
 * writes back what it returns.
 *
 * Numbers are chosen to be watched, not to model a real utility: the level moves a few
 * centimetres a second, the valve travels 25 % a second, and a valve held at 30 % settles the
 * tank near 4 m.
 */

/** Tank height: the level sensor's range. */
export const TANK_HEIGHT_M = 10;
/** How fast the actuator drives the valve toward its commanded position. */
export const VALVE_TRAVEL_PERCENT_PER_S = 25;
/** Mean inflow as level rise per second, and its swing over one demand cycle. */
const INFLOW_MEAN_M_PER_S = 0.03;
const INFLOW_SWING_M_PER_S = 0.01;
const DEMAND_CYCLE_S = 240;
/** Outflow through the fully open valve per √m of head (Torricelli). */
const OUTFLOW_COEFFICIENT = 0.05;
/** Supply pressure with an empty tank and a closed valve; the tank's head adds ρg per metre. */
const SUPPLY_PRESSURE_BAR = 3;
const HEAD_BAR_PER_M = 0.0981;
/** Friction loss through the fully open valve; it grows with the square of the flow. */
const VALVE_LOSS_BAR = 1.5;

export interface PlantState {
  /** Seconds since the plant started. */
  timeS: number;
  levelM: number;
  /** Where the valve actually is, in percent open. */
  valvePercent: number;
  /** Line pressure next to the valve, in bar. */
  pressureBar: number;
  /** The actuator refused its last command (out of 0..100) and holds its position. */
  fault: boolean;
}

export function initialState(levelM = 5): PlantState {
  return {
    timeS: 0,
    levelM,
    valvePercent: 0,
    pressureBar: pressureAt(levelM, 0),
    fault: false,
  };
}

export function inflowAt(timeS: number): number {
  return (
    INFLOW_MEAN_M_PER_S + INFLOW_SWING_M_PER_S * Math.sin((2 * Math.PI * timeS) / DEMAND_CYCLE_S)
  );
}

export function outflowAt(levelM: number, valvePercent: number): number {
  return OUTFLOW_COEFFICIENT * (valvePercent / 100) * Math.sqrt(Math.max(levelM, 0));
}

export function pressureAt(levelM: number, valvePercent: number): number {
  const open = valvePercent / 100;
  return Math.max(0, SUPPLY_PRESSURE_BAR + HEAD_BAR_PER_M * levelM - VALVE_LOSS_BAR * open * open);
}

/** The valve position after `dtS` seconds of travel toward `target`. */
function travel(from: number, target: number, dtS: number): number {
  const step = VALVE_TRAVEL_PERCENT_PER_S * dtS;
  return Math.abs(target - from) <= step ? target : from + Math.sign(target - from) * step;
}

/**
 * Advances the plant by `dtS` seconds with the valve commanded to `commandPercent` (the raw
 * holding register: anything outside 0..100 is a fault, and the valve stays where it is).
 */
export function step(s: PlantState, commandPercent: number, dtS: number): PlantState {
  const fault = !(commandPercent >= 0 && commandPercent <= 100);
  const valvePercent = fault ? s.valvePercent : travel(s.valvePercent, commandPercent, dtS);
  const net = inflowAt(s.timeS) - outflowAt(s.levelM, valvePercent);
  const levelM = Math.min(TANK_HEIGHT_M, Math.max(0, s.levelM + net * dtS));
  return {
    timeS: s.timeS + dtS,
    levelM,
    valvePercent,
    pressureBar: pressureAt(levelM, valvePercent),
    fault,
  };
}
