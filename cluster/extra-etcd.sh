#!/usr/bin/env bash
# A second etcd for fault tests (the test cluster's etcd is never stopped by a test): same cached
# binary, its own loopback ports and data directory.
#   extra-etcd.sh DATA_DIR CLIENT_PORT PEER_PORT
# Runs in the foreground (exec) so that the caller owns the PID; SIGKILL when its parent dies.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/common.sh"
(( $# == 3 )) || die "usage: extra-etcd.sh DATA_DIR CLIENT_PORT PEER_PORT"
dir=$1 client=$2 peer=$3
[[ "$dir" != "$D/etcd" ]] || die "extra-etcd.sh: that is the test cluster's own data directory"
[[ -x "$BIN/etcd" ]] || die "no etcd in $BIN: run cluster/build.sh (or npm run cluster:up) first"
mkdir -p "$dir"
exec setpriv --pdeathsig KILL -- "$BIN/etcd" --name podlife-extra --data-dir "$dir" \
  --listen-client-urls "http://127.0.0.1:$client" --advertise-client-urls "http://127.0.0.1:$client" \
  --listen-peer-urls "http://127.0.0.1:$peer" --initial-advertise-peer-urls "http://127.0.0.1:$peer" \
  --initial-cluster "podlife-extra=http://127.0.0.1:$peer" --log-level warn
