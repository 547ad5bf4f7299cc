import { Document, isMap, isScalar, type YAMLMap } from "yaml";
import { defaultConfig, FIELD_DOCS } from "./defaults.js";
import { CONFIG_API_VERSION, CONFIG_KIND } from "./types.js";

/** `--defaultconfig`: every field with its default and a comment, as edgecore prints it. */
export function renderDefaultConfig(): string {
  const doc = new Document(defaultConfig());
  doc.commentBefore = " kubeedge-edge configuration (all fields, with defaults).";
  annotate(doc.contents as YAMLMap, "");
  return doc.toString({ lineWidth: 0 });
}

/** `--minconfig`: the fields a typical node sets; everything else takes its default. */
export function renderMinConfig(): string {
  const min = {
    apiVersion: CONFIG_API_VERSION,
    kind: CONFIG_KIND,
    nodeName: "edge-1",
    dataDir: "/var/lib/kubeedge-ts",
    modules: {
      edgeHub: { kubeconfig: "/etc/kubeedge/node.kubeconfig" },
      eventBus: { mqttMode: "internal" },
    },
  };
  const doc = new Document(min);
  doc.commentBefore = " kubeedge-edge minimal configuration (see --defaultconfig for all fields).";
  annotate(doc.contents as YAMLMap, "");
  return doc.toString({ lineWidth: 0 });
}

function annotate(map: YAMLMap, path: string): void {
  for (const pair of map.items) {
    if (!isScalar(pair.key)) continue;
    const field = path ? `${path}.${String(pair.key.value)}` : String(pair.key.value);
    const doc = FIELD_DOCS[field];
    if (doc) pair.key.commentBefore = ` ${doc}`;
    if (isMap(pair.value)) annotate(pair.value, field);
  }
}
