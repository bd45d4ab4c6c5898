#!/usr/bin/env bash
# Build (or reuse) etcd, kube-apiserver, kube-controller-manager, kube-scheduler and kubelet from
# their Go modules into a cache outside the repository, keyed by version.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
K8S_VERSION=v1.34.4
ETCD_VERSION=v3.6.4
cache="${PODLIFE_CACHE:-$HOME/.cache/kubectl-podlife}/k8s-${K8S_VERSION}-etcd-${ETCD_VERSION}"
bin="$cache/bin"
mkdir -p "$bin"
command -v go >/dev/null || { echo "cluster/build.sh: Go is not installed (need Go >= 1.24 on PATH)" >&2; exit 1; }
t0=$(date +%s)
log() { echo "[build +$(( $(date +%s) - t0 ))s] $*"; }

export GOFLAGS="-mod=mod"
export CGO_ENABLED=0
export GOTOOLCHAIN=local
# Keep the Go build cache beside the binaries so warm runs reuse compiled packages too.
export GOCACHE="${GOCACHE:-$cache/gocache}"
date_now=$(date -u +%Y-%m-%dT%H:%M:%SZ)
minor=${K8S_VERSION#v1.}; minor=${minor%%.*}
ld="-s -w"
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  ld="$ld -X $pkg.gitVersion=${K8S_VERSION} -X $pkg.gitMajor=1 -X $pkg.gitMinor=${minor}"
  ld="$ld -X $pkg.gitTreeState=clean -X $pkg.buildDate=${date_now} -X $pkg.gitCommit=0000000000000000000000000000000000000000"
done

cd "$here/build"
build_one() { # name importpath
  local name=$1 path=$2
  if [[ -x "$bin/$name" ]]; then log "$name: cached ($bin/$name)"; return; fi
  log "$name: building $path (a cold build takes minutes)"
  go build -trimpath -ldflags "$3" -o "$bin/$name.tmp" "$path"
  mv "$bin/$name.tmp" "$bin/$name"
  log "$name: done"
}
build_one etcd ./etcd "-s -w"
build_one kube-apiserver k8s.io/kubernetes/cmd/kube-apiserver "$ld"
build_one kube-controller-manager k8s.io/kubernetes/cmd/kube-controller-manager "$ld"
build_one kube-scheduler k8s.io/kubernetes/cmd/kube-scheduler "$ld"
build_one kubelet k8s.io/kubernetes/cmd/kubelet "$ld"
log "all binaries in $bin"
