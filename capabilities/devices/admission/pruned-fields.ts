/**
 * Fields of an object that its CRD schema does not declare. The apiserver prunes such fields
 * silently (structural schemas), so a typo in a manifest (`propertyVistors`) would vanish
 * instead of failing; the sample tests use this to prove every sample field is a real
 * KubeEdge field.
 */
interface SchemaNode {
  type?: string;
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  additionalProperties?: SchemaNode | boolean;
  "x-kubernetes-preserve-unknown-fields"?: boolean;
}

function childSchema(schema: SchemaNode, key: string): SchemaNode | undefined {
  if (schema.properties?.[key]) return schema.properties[key];
  const extra = schema.additionalProperties;
  return typeof extra === "object" ? extra : undefined;
}

export function undeclaredFields(value: unknown, schema: SchemaNode, path = ""): string[] {
  if (schema["x-kubernetes-preserve-unknown-fields"] || value === null) return [];
  if (Array.isArray(value)) {
    return schema.items
      ? value.flatMap((v, i) => undeclaredFields(v, schema.items!, `${path}[${i}]`))
      : [];
  }
  if (typeof value !== "object" || path === ".metadata") return [];
  return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => {
    const child = childSchema(schema, k);
    return child ? undeclaredFields(v, child, `${path}.${k}`) : [`${path}.${k}`];
  });
}
