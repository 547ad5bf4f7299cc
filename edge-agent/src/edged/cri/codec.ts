/**
 * The CRI messages from and to plain objects, by protobufjs reflection over the runtime.v1
 * subset (api-proto.ts): camelCase fields, enums as their names, int64 as numbers, defaults
 * filled in, bytes as Buffers — the shapes types.ts describes (@grpc/proto-loader's, which
 * edged used before).
 */
import type * as Protobuf from "protobufjs";

type ProtobufModule = typeof Protobuf;

const TO_OBJECT: Protobuf.IConversionOptions = {
  longs: Number,
  enums: String,
  defaults: true,
  arrays: true,
  objects: true,
};

/** One RPC: its HTTP/2 path and its two message codecs. */
export interface CriMethod {
  path: string;
  encode(request: object): Uint8Array;
  decode(response: Buffer): unknown;
}

export type CriService = "RuntimeService" | "ImageService";

export class CriCodec {
  private readonly methods = new Map<string, CriMethod>();

  private constructor(private readonly root: Protobuf.Root) {}

  /** protobufjs loads here, not with the agent: only a node running pods needs it. */
  static async load(): Promise<CriCodec> {
    const [protobuf, { CRI_API_PROTO }] = await Promise.all([
      import("protobufjs") as Promise<ProtobufModule & { default?: ProtobufModule }>,
      import("./api-proto.js"),
    ]);
    const parse = (protobuf.default ?? protobuf).parse;
    return new CriCodec(parse(CRI_API_PROTO, { keepCase: false }).root);
  }

  method(service: CriService, name: string): CriMethod {
    const key = `${service}/${name}`;
    let method = this.methods.get(key);
    if (!method) {
      const rpc = this.root.lookupService(`runtime.v1.${service}`).methods[name];
      if (!rpc) throw new Error(`runtime.v1.${service} has no method ${name}`);
      rpc.resolve();
      const req = rpc.resolvedRequestType!;
      const res = rpc.resolvedResponseType!;
      method = {
        path: `/runtime.v1.${service}/${name}`,
        encode: request => req.encode(req.fromObject(request)).finish(),
        decode: response => res.toObject(res.decode(response), TO_OBJECT),
      };
      this.methods.set(key, method);
    }
    return method;
  }
}
