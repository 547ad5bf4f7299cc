#!/usr/bin/env bash
# Prepares a fresh Debian machine (or a warm one, quickly) for kubeedge-ts: the Debian packages
# the tests talk to for real (mosquitto, pymodbus, socat, containerd), the npm workspaces, and
# the local Kubernetes binaries (control plane, kubectl, and kubelet + kube-proxy for the cloud
# worker node) built once from the Go module proxy (cached in ~/.cache/kubeedge-ts).
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '[bootstrap %s] %s\n' "$(date +%H:%M:%S)" "$*"; }

# python3-serial-asyncio is only a Recommends of pymodbus, but RTU over a pty needs it.
APT_PACKAGES=(mosquitto mosquitto-clients python3-pymodbus python3-serial-asyncio socat openssl make g++ python3)
# Edge pods: a private containerd per run (local/containerd) with runc and the CNI bridge
# plugins (they call iptables and ip); images built without Docker or a registry
# (local/images): umoci for the OCI layout, busybox-static for the shell image, and gcc with
# the static C library for the pause binary. The cloud worker node's kube-proxy (iptables mode)
# needs iptables too; it clears conntrack entries over netlink, no `conntrack` tool needed.
APT_PACKAGES+=(containerd runc containernetworking-plugins iptables iproute2 umoci busybox-static gcc libc6-dev)
# `script` gives the demo e2e a pseudo-terminal for the live view's redraw.
APT_PACKAGES+=(bsdutils)
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  log "installing Debian packages: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# The Debian mosquitto package starts a system broker on :1883; tests start their own brokers
# on free ports, so the system one is left as the package set it up.

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  log "installing npm packages (npm ci; native modules compile on first install)"
  npm ci --no-fund --no-audit
fi

if ! command -v go >/dev/null 2>&1 && [ -x /usr/local/go/bin/go ]; then
  export PATH="$PATH:/usr/local/go/bin"
fi
log "local Kubernetes binaries (built once from the Go module proxy, then cached; a cache from"
log "before kubelet/kube-proxy gets only those two)"
bash local/control-plane/build-binaries.sh
log "ready"
