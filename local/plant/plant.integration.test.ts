/**
 * The simulated plant over real Modbus TCP (pymodbus, a jsmodbus master as a mapper would be):
 * the level and pressure registers move with the valve a master writes, and a command out of
 * range raises the fault coil.
 */
import { Socket } from "node:net";
import Modbus from "jsmodbus";
import { eventually } from "@kubeedge-ts/testkit";
import { pressureAt } from "./physics.js";
import { startWaterPlant, type WaterPlant } from "./plant.js";
import { LEVEL_SENSOR, PRESSURE_SENSOR, VALVE_ACTUATOR } from "./registers.js";

let plant: WaterPlant;
const sockets: Socket[] = [];

async function master(unit: number): Promise<InstanceType<typeof Modbus.client.TCP>> {
  const socket = new Socket();
  sockets.push(socket);
  // jsmodbus learns of the connection from the socket's connect event: create it first.
  const client = new Modbus.client.TCP(socket, unit, 5000);
  await new Promise<void>((resolve, reject) => {
    socket.once("error", reject);
    socket.connect(plant.port, plant.host, resolve);
  });
  return client;
}

const level = async (): Promise<number> => {
  const r = await (
    await master(LEVEL_SENSOR.unit)
  ).readInputRegisters(LEVEL_SENSOR.levelRegister, 1);
  return r.response.body.values[0]! / 100;
};

beforeAll(async () => {
  plant = await startWaterPlant({ tickMs: 100, initialLevelM: 5 });
});

afterAll(async () => {
  for (const s of sockets) s.destroy();
  await plant?.stop();
});

describe("the simulated water plant", () => {
  it("rises with the valve closed and falls once a master opens it", async () => {
    const start = await level();
    await eventually("the level to rise", async () => (await level()) > start + 0.05, 20_000);
    const valve = await master(VALVE_ACTUATOR.unit);
    await valve.writeSingleRegister(VALVE_ACTUATOR.positionRegister, 100);
    expect(await plant.commandedPercent()).toBe(100);
    const high = await level();
    await eventually("the level to fall", async () => (await level()) < high - 0.05, 20_000);
    const pressure = await master(PRESSURE_SENSOR.unit);
    await eventually("the valve fully open", () => plant.state().valvePercent === 100, 10_000);
    const mbar = async (): Promise<number> =>
      (await pressure.readInputRegisters(PRESSURE_SENSOR.pressureRegister, 1)).response.body
        .values[0]!;
    // The open valve's friction loss (1.5 bar) shows in the line pressure register.
    await eventually(
      "the line pressure to drop",
      async () => (await mbar()) / 1000 < pressureAt(await level(), 0) - 1.4,
      10_000,
    );
  });

  it("raises the fault coil for a command above 100 % and clears it on a valid one", async () => {
    const valve = await master(VALVE_ACTUATOR.unit);
    const fault = async (): Promise<boolean> =>
      (await valve.readCoils(VALVE_ACTUATOR.faultCoil, 1)).response.body.valuesAsArray[0] === 1;
    await valve.writeSingleRegister(VALVE_ACTUATOR.positionRegister, 250);
    await eventually("the fault coil on", fault, 10_000);
    await valve.writeSingleRegister(VALVE_ACTUATOR.positionRegister, 50);
    await eventually("the fault coil off", async () => !(await fault()), 10_000);
  });

  it("serves a level set as a disturbance from the next tick on", async () => {
    plant.setLevel(8.5);
    await eventually("the level register near 8.5 m", async () => (await level()) > 8.3, 10_000);
    plant.setLevel(1.2);
    await eventually("the level register near 1.2 m", async () => (await level()) < 1.4, 10_000);
  });
});
