#!/usr/bin/env bash
# What `npm run test:release` needs besides the repository, installed from registries into
# ~/.cache/kubectl-podlife (reused by later runs, like the cluster's binaries):
#   krew and validate-krew-manifest v0.5.0, built from the sigs.k8s.io/krew Go module (~1-2 min cold);
#   llvm-strip (Debian's llvm), which the release uses to strip both Linux runtimes.
# rcodesign (crates.io, to sign the darwin binaries) is built by scripts/release.mjs when missing.
set -euo pipefail
cache=${PODLIFE_CACHE:-$HOME/.cache/kubectl-podlife}
krew_version=v0.5.0
krew_bin=$cache/krew-$krew_version/bin
if [[ ! -x $krew_bin/krew || ! -x $krew_bin/validate-krew-manifest ]]; then
  echo "release-tools: building krew $krew_version and validate-krew-manifest into $krew_bin"
  mkdir -p "$krew_bin"
  GOBIN=$krew_bin GOFLAGS=-mod=mod go install "sigs.k8s.io/krew/cmd/krew@$krew_version" "sigs.k8s.io/krew/cmd/validate-krew-manifest@$krew_version"
fi
if ! command -v llvm-strip >/dev/null; then
  echo "release-tools: installing llvm (llvm-strip)"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq llvm >/dev/null
fi
echo "release-tools: krew $krew_version in $krew_bin; $(command -v llvm-strip)"
