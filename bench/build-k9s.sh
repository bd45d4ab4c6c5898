#!/usr/bin/env bash
# Builds (or reuses) k9s, the peer of the update-latency and scale benchmarks, from its Go module
# into the cache the cluster binaries use (outside the repository), keyed by version.
# Prints the binary's path on the last line.
set -euo pipefail
K9S_VERSION=${K9S_VERSION:-v0.50.16}
cache="${PODLIFE_CACHE:-$HOME/.cache/kubectl-podlife}/k9s-${K9S_VERSION}"
bin="$cache/bin/k9s"
if [[ -x "$bin" ]]; then echo "$bin"; exit 0; fi
command -v go >/dev/null || { echo "bench/build-k9s.sh: Go is not installed (need Go >= 1.24 on PATH)" >&2; exit 1; }
mkdir -p "$cache/bin"
echo "building k9s ${K9S_VERSION} from its Go module (a cold build takes minutes)" >&2
export GOFLAGS="-mod=mod" CGO_ENABLED=0 GOTOOLCHAIN=local
export GOCACHE="${GOCACHE:-$cache/gocache}"
GOBIN="$cache/bin" nice -n 10 go install -trimpath -ldflags "-s -w" "github.com/derailed/k9s@${K9S_VERSION}"
echo "$bin"
