/**
 * Where a Modbus device is reached: a TCP endpoint or a serial line, plus its slave id.
 * KubeEdge v1alpha2 puts the endpoint in `protocolCommonConfig.tcp|com`; KubeEdge's original
 * JS mapper put `ip`/`port`/`serialPort`/`baudRate` in `protocolConfig` — both are accepted.
 */
import type { ProfileProtocol } from "@kubeedge-ts/contract";
import type { Result } from "@kubeedge-ts/mapper-common";

export interface TcpTarget {
  kind: "tcp";
  host: string;
  port: number;
}

export interface RtuTarget {
  kind: "rtu";
  path: string;
  baudRate: number;
  dataBits: 5 | 6 | 7 | 8;
  parity: "none" | "even" | "odd" | "mark" | "space";
  stopBits: 1 | 1.5 | 2;
}

export type EndpointTarget = TcpTarget | RtuTarget;

export interface DeviceTarget {
  endpoint: EndpointTarget;
  slaveId: number;
}

const PARITY: Record<string, RtuTarget["parity"]> = {
  n: "none",
  e: "even",
  o: "odd",
  m: "mark",
  s: "space",
};

export function endpointKey(t: EndpointTarget): string {
  return t.kind === "tcp" ? `tcp://${t.host}:${t.port}` : `rtu:${t.path}`;
}

type Loose = Record<string, unknown>;

function rtuTarget(com: Loose): RtuTarget {
  const parity =
    PARITY[
      String(com.parity ?? "none")
        .charAt(0)
        .toLowerCase()
    ] ?? "none";
  return {
    kind: "rtu",
    path: String(com.serialPort),
    baudRate: Number(com.baudRate ?? 9600),
    dataBits: Number(com.dataBits ?? 8) as RtuTarget["dataBits"],
    parity,
    stopBits: Number(com.stopBits ?? 1) as RtuTarget["stopBits"],
  };
}

function tcpTarget(tcp: Loose): Result<TcpTarget> {
  const port = Number(tcp.port ?? 502);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    return { ok: false, reason: `tcp port ${String(tcp.port)} is invalid` };
  }
  return { ok: true, value: { kind: "tcp", host: String(tcp.ip), port } };
}

/** v1alpha2's `protocolCommonConfig.tcp|com`, else the JS mapper's flat `protocolConfig`. */
function pick(common: Loose, config: Loose, key: "tcp" | "com", flag: string): Loose | undefined {
  if (common[key] !== undefined) return common[key] as Loose;
  return config[flag] !== undefined ? config : undefined;
}

export function targetOf(protocol: ProfileProtocol): Result<DeviceTarget> {
  const config = (protocol.protocolConfig ?? {}) as Loose;
  const common = (protocol.protocolCommonConfig ?? {}) as Loose;
  const slaveId = Number(config.slaveID ?? 1);
  const tcp = pick(common, config, "tcp", "ip");
  const com = pick(common, config, "com", "serialPort");
  if (tcp && com) return { ok: false, reason: "has both tcp and com; a device uses one" };
  if (com) return { ok: true, value: { slaveId, endpoint: rtuTarget(com) } };
  if (!tcp) return { ok: false, reason: "needs tcp {ip, port} or com {serialPort}" };
  const endpoint = tcpTarget(tcp);
  return endpoint.ok ? { ok: true, value: { slaveId, endpoint: endpoint.value } } : endpoint;
}
