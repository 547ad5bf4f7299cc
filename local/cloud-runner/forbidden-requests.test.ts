import { describe, expect, it } from "vitest";
import { forbiddenRequests } from "./forbidden-requests.js";

const USER = "system:serviceaccount:pepr-system:pepr-kubeedge-ts";
const namespaced = `configmaps is forbidden: User "${USER}" cannot create resource "configmaps" in API group "" in the namespace "ns-1"`;
const clusterScoped = `certificatesigningrequests.certificates.k8s.io is forbidden: User "${USER}" cannot list resource "certificatesigningrequests" in API group "certificates.k8s.io" at the cluster scope`;

describe("forbiddenRequests", () => {
  it("names verb, resource, group and scope of each refusal once", () => {
    const log = [namespaced, clusterScoped, namespaced].join("\n");
    expect(forbiddenRequests(log)).toEqual([
      "create configmaps in namespace ns-1",
      "list certificatesigningrequests.certificates.k8s.io cluster-wide",
    ]);
  });

  it("reads messages escaped inside JSON log lines, once or twice", () => {
    const once = JSON.stringify({ msg: namespaced });
    const twice = JSON.stringify({ err: { message: JSON.stringify({ message: clusterScoped }) } });
    expect(forbiddenRequests(`${once}\n${twice}`)).toEqual([
      "create configmaps in namespace ns-1",
      "list certificatesigningrequests.certificates.k8s.io cluster-wide",
    ]);
  });

  it("finds nothing in a log without refusals", () => {
    expect(forbiddenRequests('{"level":30,"msg":"profile written"}\n')).toEqual([]);
  });
});
