import { describe, expect, it } from "vitest";
import { EDGE_BOOTSTRAP_GROUP } from "@kubeedge-ts/contract";
import { createCa, signCert } from "../../local/control-plane/pki.js";
import { edgeJoinedNode, KUBELET_CLIENT_SIGNER, type CsrLike } from "./bootstrap-join.js";

const ca = createCa("test-ca");
const issued = (commonName: string, organizations = ["system:nodes"]): string =>
  Buffer.from(signCert(ca, { commonName, organizations, usage: "client" }).certPem).toString(
    "base64",
  );

// RSA keys are slow to make: one certificate of each kind for every test.
const NODE_CERT = issued("system:node:pi-1");
const ADMIN_CERT = issued("admin", ["system:masters"]);
const NOT_NODES_CERT = issued("system:node:pi-1", ["x"]);

const csr = (o: {
  groups?: string[];
  signer?: string;
  approved?: boolean;
  certificate?: string;
}): CsrLike => ({
  metadata: { name: "csr-1" },
  spec: {
    signerName: o.signer ?? KUBELET_CLIENT_SIGNER,
    username: "system:bootstrap:abcdef",
    groups: o.groups ?? ["system:bootstrappers", EDGE_BOOTSTRAP_GROUP, "system:authenticated"],
  },
  status: {
    conditions: o.approved === false ? [] : [{ type: "Approved", status: "True" }],
    certificate: o.certificate,
  },
});

describe("edgeJoinedNode", () => {
  it("names the node of an approved, issued join through the edge bootstrap group", () => {
    expect(edgeJoinedNode(csr({ certificate: NODE_CERT }))).toBe("pi-1");
  });

  it("ignores a CSR not yet approved or not yet issued", () => {
    expect(edgeJoinedNode(csr({ approved: false, certificate: NODE_CERT }))).toBe(undefined);
    expect(edgeJoinedNode(csr({}))).toBeUndefined();
  });

  it("ignores joins through other bootstrap groups (kubeadm's own tokens) and renewals", () => {
    const cert = NODE_CERT;
    expect(edgeJoinedNode(csr({ groups: ["system:bootstrappers"], certificate: cert }))).toBe(
      undefined,
    );
    expect(edgeJoinedNode(csr({ groups: ["system:nodes"], certificate: cert }))).toBeUndefined();
  });

  it("ignores other signers and certificates that are not a node's", () => {
    const cert = NODE_CERT;
    expect(edgeJoinedNode(csr({ signer: "example.com/other", certificate: cert }))).toBe(undefined);
    expect(edgeJoinedNode(csr({ certificate: ADMIN_CERT }))).toBe(undefined);
    expect(edgeJoinedNode(csr({ certificate: NOT_NODES_CERT }))).toBe(undefined);
    expect(edgeJoinedNode(csr({ certificate: Buffer.from("garbage").toString("base64") }))).toBe(
      undefined,
    );
  });
});
