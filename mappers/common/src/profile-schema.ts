/**
 * JSON schemas for `deviceProfile.json`. The document schema only checks the outer shape so
 * one bad entry never hides the others; each entry is then checked on its own, and a mapper
 * adds a schema for its protocol's visitorConfig and protocolConfig.
 */
import type { JSONSchemaType } from "ajv";

type Schema = Record<string, unknown>;

export const documentSchema: Schema = {
  type: "object",
  required: ["deviceInstances"],
  properties: {
    deviceInstances: { type: "array", items: { type: "object" } },
    deviceModels: { type: "array", items: { type: "object" } },
    protocols: { type: "array", items: { type: "object" } },
    propertyVisitors: { type: "array", items: { type: "object" } },
  },
};

export const deviceInstanceSchema: Schema = {
  type: "object",
  required: ["id", "name", "protocol", "model"],
  properties: {
    id: { type: "string", minLength: 1 },
    name: { type: "string", minLength: 1 },
    namespace: { type: "string" },
    protocol: { type: "string", minLength: 1 },
    model: { type: "string", minLength: 1 },
    twins: { type: "array", items: { type: "object", required: ["propertyName"] } },
    propertyVisitors: { type: "array", items: { type: "object" } },
  },
};

export const propertySchema: Schema = {
  type: "object",
  required: ["name", "dataType"],
  properties: {
    name: { type: "string", minLength: 1 },
    dataType: { enum: ["int", "double", "float", "string", "boolean", "bytes"] },
    accessMode: { enum: ["ReadWrite", "ReadOnly"] },
    minimum: { type: "number" },
    maximum: { type: "number" },
    unit: { type: "string" },
  },
};

export const deviceModelSchema: Schema = {
  type: "object",
  required: ["name", "properties"],
  properties: {
    name: { type: "string", minLength: 1 },
    properties: { type: "array", items: propertySchema },
  },
};

export const protocolSchema: Schema = {
  type: "object",
  required: ["name", "protocol"],
  properties: {
    name: { type: "string", minLength: 1 },
    protocol: { type: "string", minLength: 1 },
    protocolConfig: { type: ["object", "null"] },
    protocolCommonConfig: { type: ["object", "null"] },
  },
};

const cycle = { type: "integer", minimum: 0 };

export const propertyVisitorSchema: Schema = {
  type: "object",
  required: ["propertyName", "visitorConfig"],
  properties: {
    name: { type: "string" },
    propertyName: { type: "string", minLength: 1 },
    modelName: { type: "string" },
    protocol: { type: "string" },
    reportCycle: cycle,
    collectCycle: cycle,
    visitorConfig: { type: "object" },
  },
};

/** Shape a mapper passes for its protocol; the generic type keeps call sites honest. */
export type ProtocolSchemas<V> = {
  visitorConfig: JSONSchemaType<V> | Schema;
  protocolConfig?: Schema;
  protocolCommonConfig?: Schema;
};
