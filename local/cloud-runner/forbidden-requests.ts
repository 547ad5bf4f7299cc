/**
 * The requests the apiserver refused a module for want of a permission, read from its log. The
 * apiserver's 403 message names the verb, resource, API group and scope; the module logs it
 * inside an error (often JSON in JSON, so its quotes arrive backslash-escaped, maybe twice).
 * Each refusal comes back once as `<verb> <resource>[.<group>] (in namespace <ns>|cluster-wide)`.
 */
const Q = String.raw`\\*"`; // a quote, however many times escaped
const WORD = String.raw`([^"\\]*)`;
const REFUSAL = new RegExp(
  `cannot (\\S+) resource ${Q}${WORD}${Q} in API group ${Q}${WORD}${Q}` +
    `(?: in the namespace ${Q}${WORD}${Q}| at the cluster scope)`,
  "g",
);

export function forbiddenRequests(log: string): string[] {
  const found = new Set<string>();
  for (const m of log.matchAll(REFUSAL)) {
    const [, verb, resource, group, namespace] = m;
    const what = group ? `${resource}.${group}` : resource;
    found.add(`${verb} ${what} ${namespace ? `in namespace ${namespace}` : "cluster-wide"}`);
  }
  return [...found];
}
