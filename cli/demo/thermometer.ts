/**
 * A simulated Modbus TCP thermometer: Debian's pymodbus serving holding registers, with the
 * temperature drifting every two seconds like a real sensor's would.
 */
import { startPymodbus } from "@kubeedge-ts/testkit";
import { TEMPERATURE_REGISTER } from "./devices.js";

export interface Thermometer {
  port: number;
  read(register: number): Promise<number[]>;
  stop(): Promise<void>;
}

export async function startModbusThermometer(): Promise<Thermometer> {
  const server = await startPymodbus({ slaves: [1] });
  let t = 0;
  const drift = async (): Promise<void> => {
    t += 1;
    const celsius = Math.round(21 + 3 * Math.sin(t / 5));
    await server.set(1, "hr", TEMPERATURE_REGISTER, [celsius]);
  };
  await drift();
  const timer = setInterval(() => void drift().catch(() => undefined), 2000);
  return {
    port: server.port!,
    read: register => server.get(1, "hr", register, 1),
    stop: async () => {
      clearInterval(timer);
      await server.stop();
    },
  };
}
