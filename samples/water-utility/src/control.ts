/**
 * The edge application's control law, the case study's goal "adjust the valve based on the water
 * level of the tank and the water pressure nearby": open the outlet valve as the tank rises
 * above its target level, and never open it further while the line pressure is below its floor.
 */

export interface ControlSettings {
  /** The level the tank is held near, in metres. */
  targetLevelM: number;
  /** The valve opening that holds the tank at its target with average inflow, in percent. */
  biasPercent: number;
  /** How much more the valve opens per metre above the target. */
  gainPercentPerM: number;
  /** Below this line pressure the valve closes a step instead of following the level. */
  minPressureBar: number;
  /** The step it closes by when the pressure is low. */
  pressureStepPercent: number;
  /** Changes smaller than this are not worth a write. */
  deadbandPercent: number;
}

export const DEFAULT_CONTROL: ControlSettings = {
  targetLevelM: 4,
  biasPercent: 30,
  gainPercentPerM: 40,
  minPressureBar: 2,
  pressureStepPercent: 5,
  deadbandPercent: 2,
};

export interface PlantReading {
  levelM: number;
  /** Unknown until the pressure sensor has reported. */
  pressureBar?: number;
  /** The valve's desired position as the agent holds it (cloud's or ours), if any. */
  valvePercent?: number;
}

const clamp = (v: number): number => Math.min(100, Math.max(0, Math.round(v)));

/** The valve position the level and pressure call for. */
export function valveCommand(r: PlantReading, s: ControlSettings = DEFAULT_CONTROL): number {
  const byLevel = clamp(s.biasPercent + s.gainPercentPerM * (r.levelM - s.targetLevelM));
  const lowPressure = r.pressureBar !== undefined && r.pressureBar < s.minPressureBar;
  if (lowPressure && r.valvePercent !== undefined) {
    return Math.min(byLevel, clamp(r.valvePercent - s.pressureStepPercent));
  }
  return byLevel;
}

/** The position to write, or undefined when the valve is already close enough to it. */
export function nextWrite(
  r: PlantReading,
  s: ControlSettings = DEFAULT_CONTROL,
): number | undefined {
  const command = valveCommand(r, s);
  if (r.valvePercent !== undefined && Math.abs(command - r.valvePercent) < s.deadbandPercent) {
    return undefined;
  }
  return command;
}
