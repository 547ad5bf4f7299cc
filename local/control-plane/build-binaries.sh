#!/usr/bin/env bash
# Builds etcd and the Kubernetes binaries (control plane, kubectl, and kubelet + kube-proxy for
# the optional cloud worker node) from the Go module proxy, once per version, into
# ~/.cache/kubeedge-ts/bin/<k8s>-<etcd>/. No Docker engine exists on our machines, so this is how
# tests get a real apiserver. A cold build takes 10-25 minutes on 2 cores. A cache folder from an
# older version of this script (without kubelet/kube-proxy) is completed: only the missing
# binaries are built, each one moved into place once it is whole.
set -euo pipefail

K8S_VERSION="${K8S_VERSION:-1.34.4}"
ETCD_VERSION="${ETCD_VERSION:-3.6.16}"
CACHE_ROOT="${KUBEEDGE_TS_CACHE:-$HOME/.cache/kubeedge-ts}"
OUT="$CACHE_ROOT/bin/k8s-v$K8S_VERSION-etcd-v$ETCD_VERSION"
K8S_BINARIES=(kube-apiserver kube-controller-manager kube-scheduler kubectl kubelet kube-proxy)
BINARIES=(etcd "${K8S_BINARIES[@]}")

log() { printf '[build %s] %s\n' "$(date +%H:%M:%S)" "$*"; }

missing() {
  for b in "$@"; do [ -x "$OUT/$b" ] || echo "$b"; done
}

if [ -z "$(missing "${BINARIES[@]}")" ]; then
  log "cached: $OUT"
  echo "$OUT"
  exit 0
fi

if ! command -v go >/dev/null 2>&1; then
  echo "error: the Go toolchain (go >= 1.24) is needed to build the local control plane once." >&2
  echo "       install it (e.g. 'apt-get install golang-go' or from go.dev) and run again." >&2
  exit 3
fi

# One build at a time per cache (two test runs may both find a binary missing); the second one
# finds the work done once it gets the lock.
mkdir -p "$CACHE_ROOT"
exec 9>"$CACHE_ROOT/build.lock"
flock 9
if [ -z "$(missing "${BINARIES[@]}")" ]; then
  log "built meanwhile by another run: $OUT"
  echo "$OUT"
  exit 0
fi

export CGO_ENABLED=0 GOTOOLCHAIN=local GOWORK=off GOFLAGS=-mod=mod
WORK="$CACHE_ROOT/build/k8s-v$K8S_VERSION-etcd-v$ETCD_VERSION"
mkdir -p "$WORK/k8s" "$WORK/etcd" "$OUT"

# Each binary is compiled beside its final name and renamed into place, so a reader of the cache
# (another build, a running test) never sees a half-written file.
build_into_place() {
  local name="$1" dir="$2" pkg="$3" ldflags="$4"
  log "compiling $name (a few minutes on 2 cores, ~1 min with a warm Go cache)"
  (cd "$dir" && go build -trimpath -ldflags "$ldflags" -o "$OUT/.$name.partial" "$pkg")
  mv -f "$OUT/.$name.partial" "$OUT/$name"
  log "$name done"
}

# k8s.io/kubernetes pins its staging modules at v0.0.0 with local replaces that Go ignores in a
# dependency, so the wrapper replaces each with the matching published v0.x tag.
STAGING_VERSION="v0.${K8S_VERSION#1.}"
log "resolving k8s.io/kubernetes v$K8S_VERSION (staging modules $STAGING_VERSION)"
mod_file="$(go mod download -json "k8s.io/kubernetes@v$K8S_VERSION" | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p')"
staging="$(grep -E '^\s*k8s.io/[a-z-]+ v0.0.0$' "$mod_file" | awk '{print $1}' | sort -u)"
{
  echo "module kubeedge-ts/k8s-build"
  echo
  echo "go 1.24.0"
  echo
  echo "require k8s.io/kubernetes v$K8S_VERSION"
  echo
  for m in $staging; do echo "replace $m => $m $STAGING_VERSION"; done
} >"$WORK/k8s/go.mod"
cat >"$WORK/k8s/tools.go" <<'GO'
//go:build tools

package tools

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kube-controller-manager"
	_ "k8s.io/kubernetes/cmd/kube-scheduler"
	_ "k8s.io/kubernetes/cmd/kubectl"
	_ "k8s.io/kubernetes/cmd/kubelet"
	_ "k8s.io/kubernetes/cmd/kube-proxy"
)
GO

cat >"$WORK/etcd/go.mod" <<GOMOD
module kubeedge-ts/etcd-build

go 1.24.0

require go.etcd.io/etcd/server/v3 v$ETCD_VERSION
GOMOD
cat >"$WORK/etcd/tools.go" <<'GO'
//go:build tools

package tools

import _ "go.etcd.io/etcd/server/v3"
GO

if [ -n "$(missing etcd)" ]; then
  log "downloading etcd v$ETCD_VERSION modules"
  (cd "$WORK/etcd" && go mod tidy -e >/dev/null 2>&1 || true; go mod download)
  build_into_place etcd "$WORK/etcd" go.etcd.io/etcd/server/v3 "-s -w"
fi

MINOR="$(echo "$K8S_VERSION" | cut -d. -f2)"
LDFLAGS="-s -w -X k8s.io/component-base/version.gitVersion=v$K8S_VERSION"
LDFLAGS="$LDFLAGS -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=$MINOR"
LDFLAGS="$LDFLAGS -X k8s.io/client-go/pkg/version.gitVersion=v$K8S_VERSION"
todo="$(missing "${K8S_BINARIES[@]}")"
if [ -n "$todo" ]; then
  log "downloading k8s.io/kubernetes v$K8S_VERSION modules (several hundred MB)"
  (cd "$WORK/k8s" && go mod tidy -e >/dev/null 2>&1 || true; go mod download)
  for b in $todo; do
    build_into_place "$b" "$WORK/k8s" "k8s.io/kubernetes/cmd/$b" "$LDFLAGS"
  done
fi

log "all binaries in $OUT"
echo "$OUT"
