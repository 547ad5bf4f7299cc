#!/usr/bin/env bash
# For users with Docker: runs the e2e scenarios against a kind cluster instead of the local
# process control plane. Not used in CI (our machines have no Docker engine).
#   e2e/kind/up.sh [state-dir]  then  KUBEEDGE_TS_E2E_DIR=<state-dir> npm run test:e2e
# "Apiserver down" scenarios pause the control-plane container. Remove with e2e/kind/down.sh.
set -euo pipefail
NAME="${KIND_CLUSTER_NAME:-kubeedge-ts}"
DIR="$(realpath -m "${1:-${TMPDIR:-/tmp}/kubeedge-ts/kind}")"
NODE_IMAGE="${KIND_NODE_IMAGE:-kindest/node:v1.34.0}"
for tool in kind docker kubectl; do
  command -v "$tool" >/dev/null || { echo "error: $tool is needed on PATH" >&2; exit 2; }
done

kind get clusters | grep -qx "$NAME" || kind create cluster --name "$NAME" --image "$NODE_IMAGE" --wait 120s
mkdir -p "$DIR/pki"
container="$NAME-control-plane"
docker cp "$container:/etc/kubernetes/pki/ca.crt" "$DIR/pki/ca.crt"
docker cp "$container:/etc/kubernetes/pki/ca.key" "$DIR/pki/ca.key"
kind get kubeconfig --name "$NAME" >"$DIR/admin.kubeconfig"
kc() { kubectl --kubeconfig "$DIR/admin.kubeconfig" "$@"; }
kc config view --raw -o jsonpath='{.users[0].user.client-certificate-data}' | base64 -d >"$DIR/pki/admin.crt"
kc config view --raw -o jsonpath='{.users[0].user.client-key-data}' | base64 -d >"$DIR/pki/admin.key"
server="$(kc config view -o jsonpath='{.clusters[0].cluster.server}')"
cat >"$DIR/state.json" <<JSON
{
  "dir": "$DIR",
  "binDir": "$(dirname "$(command -v kubectl)")",
  "server": "$server",
  "ports": { "etcd": 0, "etcdPeer": 0, "apiserver": 0, "scheduler": 0 },
  "commands": {},
  "startedAt": "$(date -u +%FT%TZ)",
  "readyMs": 0,
  "identities": [],
  "dockerContainer": "$container"
}
JSON
echo "kind cluster '$NAME' ready; run:  KUBEEDGE_TS_E2E_DIR=$DIR npm run test:e2e"
