/**
 * Modbus as a polling protocol of the mapper library: the runtime's DeviceRunner reads and
 * writes one property at a time through it (`pollingDriver(createModbusProtocol(...))`).
 */
import type { ModbusVisitorConfig } from "@kubeedge-ts/contract";
import type {
  DeviceConnection,
  Logger,
  PollingProtocol,
  ResolvedDevice,
  ResolvedProperty,
  TypedValue,
} from "@kubeedge-ts/mapper-common";
import {
  WRITABLE_REGISTERS,
  decodeBits,
  decodeRegisters,
  encodeBits,
  encodeRegisters,
  limitOf,
} from "./codec.js";
import type { Endpoint } from "./endpoint.js";
import { ModbusDeviceError, classify } from "./errors.js";
import { EndpointPool } from "./pool.js";
import { modbusSchemas, checkModbusDevice } from "./schema.js";
import { targetOf } from "./target.js";
import type { ModbusClient } from "./transport.js";

export interface ModbusProtocolOptions {
  /** Per-request timeout (also the connect timeout). */
  timeoutMs: number;
  backoffMinMs: number;
  backoffMaxMs: number;
  log: Logger;
}

type Prop = ResolvedProperty<ModbusVisitorConfig>;

async function readProp(client: ModbusClient, prop: Prop): Promise<TypedValue> {
  const c = prop.config;
  const type = prop.property.dataType;
  const n = limitOf(c);
  switch (c.register) {
    case "CoilRegister":
      return decodeBits((await client.readCoils(c.offset, n)).response.body.valuesAsArray, c, type);
    case "DiscreteInputRegister":
      return decodeBits(
        (await client.readDiscreteInputs(c.offset, n)).response.body.valuesAsArray,
        c,
        type,
      );
    case "HoldingRegister":
      return decodeRegisters(
        (await client.readHoldingRegisters(c.offset, n)).response.body.valuesAsBuffer,
        c,
        type,
      );
    case "InputRegister":
      return decodeRegisters(
        (await client.readInputRegisters(c.offset, n)).response.body.valuesAsBuffer,
        c,
        type,
      );
  }
}

async function writeProp(client: ModbusClient, prop: Prop, value: TypedValue): Promise<void> {
  const c = prop.config;
  const type = prop.property.dataType;
  if (c.register === "CoilRegister") {
    const bits = encodeBits(value, c, type);
    await (bits.length === 1
      ? client.writeSingleCoil(c.offset, bits[0])
      : client.writeMultipleCoils(c.offset, bits));
    return;
  }
  const bytes = encodeRegisters(value, c, type);
  // FC6 for one register: some devices implement only "write single register".
  await (bytes.length === 2
    ? client.writeSingleRegister(c.offset, bytes.readUInt16BE(0))
    : client.writeMultipleRegisters(c.offset, bytes));
}

class ModbusDeviceConnection implements DeviceConnection<ModbusVisitorConfig> {
  constructor(
    private readonly endpoint: Endpoint,
    private readonly slaveId: number,
    private readonly release: () => Promise<void>,
  ) {}

  read(prop: Prop): Promise<TypedValue> {
    return this.endpoint.run(
      this.slaveId,
      `read ${prop.config.register}@${prop.config.offset}`,
      c => readProp(c, prop),
    );
  }

  async write(prop: Prop, value: TypedValue): Promise<void> {
    if (!WRITABLE_REGISTERS.includes(prop.config.register)) {
      throw new ModbusDeviceError(
        `${prop.config.register} is read-only in Modbus; cannot write ${prop.name}`,
      );
    }
    // Encode before queueing so a value that does not fit fails without touching the line.
    if (prop.config.register === "CoilRegister")
      encodeBits(value, prop.config, prop.property.dataType);
    else encodeRegisters(value, prop.config, prop.property.dataType);
    await this.endpoint.run(
      this.slaveId,
      `write ${prop.config.register}@${prop.config.offset}`,
      c => writeProp(c, prop, value),
    );
  }

  close(): Promise<void> {
    return this.release();
  }
}

export function createModbusProtocol(
  opts: ModbusProtocolOptions,
): PollingProtocol<ModbusVisitorConfig> & { pool: EndpointPool } {
  const pool = new EndpointPool({ ...opts, log: opts.log.child({ component: "modbus" }) });
  return {
    protocol: "modbus",
    schemas: modbusSchemas,
    check: checkModbusDevice,
    pool,
    open(device: ResolvedDevice<ModbusVisitorConfig>): DeviceConnection<ModbusVisitorConfig> {
      const target = targetOf(device.protocol);
      // checkModbusDevice refused devices without a valid target before they get here.
      if (!target.ok) throw new Error(`device ${device.id}: ${target.reason}`);
      const { endpoint, slaveId } = target.value;
      const ep = pool.acquire(endpoint, slaveId);
      return new ModbusDeviceConnection(ep, slaveId, () => pool.release(ep, slaveId));
    },
    classify,
    close: () => pool.close(),
  };
}
