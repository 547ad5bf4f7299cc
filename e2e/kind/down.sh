#!/usr/bin/env bash
# Deletes the kind cluster made by e2e/kind/up.sh and its state folder.
set -euo pipefail
NAME="${KIND_CLUSTER_NAME:-kubeedge-ts}"
DIR="$(realpath -m "${1:-${TMPDIR:-/tmp}/kubeedge-ts/kind}")"
kind delete cluster --name "$NAME"
rm -rf "$DIR"
