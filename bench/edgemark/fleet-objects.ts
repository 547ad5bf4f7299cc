/**
 * What edgemark creates in the cluster for its hollow nodes: one namespace, one DeviceModel,
 * D Devices bound to each node (the testkit's thermometer, reporting every R seconds) and P pods
 * per node, each mounting one shared ConfigMap (so every node also watches a referenced object,
 * as real workloads make it do).
 */
import { EDGE_NODE_TAINT_KEY } from "@kubeedge-ts/contract";
import { thermometerDevice, thermometerModel } from "@kubeedge-ts/testkit";

export const EDGEMARK_NAMESPACE = "edgemark";
export const EDGEMARK_MODEL = "edgemark-thermometer";
export const EDGEMARK_APP_CONFIG = "edgemark-app";
/** The property hollow mappers report and the one the cloud changes desired values of. */
export const REPORTED_PROPERTY = "temperature";
export const DESIRED_PROPERTY = "enable";

export const hollowNodeName = (i: number): string => `edgemark-${i}`;
export const deviceName = (node: string, j: number): string => `${node}-d${j}`;

export function edgemarkNamespace(): object {
  return { apiVersion: "v1", kind: "Namespace", metadata: { name: EDGEMARK_NAMESPACE } };
}

export function edgemarkModel(): object {
  return thermometerModel({
    name: EDGEMARK_MODEL,
    namespace: EDGEMARK_NAMESPACE,
    properties: [DESIRED_PROPERTY],
  });
}

export function edgemarkDevice(node: string, j: number, reportSeconds: number): object {
  return thermometerDevice({
    name: deviceName(node, j),
    namespace: EDGEMARK_NAMESPACE,
    node,
    model: EDGEMARK_MODEL,
    endpoint: { host: "10.0.0.10", port: 502 },
    properties: [DESIRED_PROPERTY],
    desired: { [DESIRED_PROPERTY]: "ON" },
    reportMs: reportSeconds * 1000,
  });
}

export function appConfigMap(): object {
  return {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: EDGEMARK_APP_CONFIG, namespace: EDGEMARK_NAMESPACE },
    data: { "app.conf": "level=info\n" },
  };
}

export function edgemarkPod(node: string, k: number): object {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: `${node}-p${k}`, namespace: EDGEMARK_NAMESPACE },
    spec: {
      nodeName: node,
      automountServiceAccountToken: false,
      tolerations: [{ key: EDGE_NODE_TAINT_KEY, operator: "Exists", effect: "NoSchedule" }],
      containers: [
        {
          name: "app",
          image: "registry.k8s.io/pause:3.9",
          volumeMounts: [{ name: "conf", mountPath: "/etc/app" }],
        },
      ],
      volumes: [{ name: "conf", configMap: { name: EDGEMARK_APP_CONFIG } }],
    },
  };
}

/** The merge patch a user sends to change a Device's desired value (as `kubectl patch`). */
export function desiredPatch(value: string): object {
  return {
    status: {
      twins: [{ propertyName: DESIRED_PROPERTY, desired: { value, metadata: { type: "string" } } }],
    },
  };
}
