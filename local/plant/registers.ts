/**
 * Where the simulated water plant keeps its values: one Modbus TCP gateway with a unit per
 * instrument, as at a pump station. samples/water-utility.yaml visits exactly these registers
 * (a unit test holds the two together).
 */
export const LEVEL_SENSOR = {
  unit: 1,
  /** Input register 0: the tank level in centimetres (the sample scales by 0.01 to metres). */
  levelRegister: 0,
} as const;

export const PRESSURE_SENSOR = {
  unit: 2,
  /** Input register 0: the line pressure in millibar (the sample scales by 0.001 to bar). */
  pressureRegister: 0,
} as const;

export const VALVE_ACTUATOR = {
  unit: 3,
  /** Holding register 0: the commanded opening in percent; anything above 100 faults. */
  positionRegister: 0,
  /** Coil 0: on while the actuator refuses its command. */
  faultCoil: 0,
} as const;

export const PLANT_UNITS = [LEVEL_SENSOR.unit, PRESSURE_SENSOR.unit, VALVE_ACTUATOR.unit];

export const toCentimetres = (m: number): number => Math.round(m * 100);
export const toMillibar = (bar: number): number => Math.round(bar * 1000);
