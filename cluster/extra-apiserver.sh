#!/usr/bin/env bash
# A second kube-apiserver for fault tests, beside the test cluster and never instead of it: same
# cached binary and certificates (its serving certificate names 127.0.0.1, so any loopback port
# works), its own port and its own --etcd-prefix, so it shares no object with the test cluster even
# when it shares its etcd. No compaction (the test cluster's apiserver compacts that etcd) and no
# endpoint reconciler, so it writes nothing outside its prefix.
#   extra-apiserver.sh PORT ETCD_URL ETCD_PREFIX [more kube-apiserver flags...]
# Runs in the foreground (exec) so that the caller owns the PID; the process gets SIGKILL when its
# parent dies (setpriv --pdeathsig), so a crashed test cannot leave it running.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/common.sh"
(( $# >= 3 )) || die "usage: extra-apiserver.sh PORT ETCD_URL ETCD_PREFIX [flags...]"
port=$1 etcd=$2 prefix=$3
shift 3
[[ "$etcd" =~ ^http://127\.[0-9.]+:[0-9]+$ ]] || die "extra-apiserver.sh: etcd must be a loopback http URL, not $etcd"
[[ "$prefix" == /* && "$prefix" != /registry && "$prefix" != /registry/* ]] || die "extra-apiserver.sh: the etcd prefix must be absolute and not the cluster's own (/registry)"
[[ -x "$BIN/kube-apiserver" ]] || die "no kube-apiserver in $BIN: run cluster/build.sh (or npm run cluster:up) first"
P="$D/pki"
[[ -r "$P/ca.crt" && -r "$P/apiserver.key" ]] || die "no certificates in $P: start the test cluster first (npm run cluster:up)"
exec setpriv --pdeathsig KILL -- "$BIN/kube-apiserver" --etcd-servers "$etcd" --etcd-prefix "$prefix" --etcd-compaction-interval 0 \
  --bind-address 127.0.0.1 --advertise-address 127.0.0.1 --secure-port "$port" \
  --tls-cert-file "$P/apiserver.crt" --tls-private-key-file "$P/apiserver.key" --client-ca-file "$P/ca.crt" \
  --service-account-key-file "$P/sa.pub" --service-account-signing-key-file "$P/sa.key" \
  --service-account-issuer https://kubernetes.default.svc.cluster.local --service-cluster-ip-range 10.97.0.0/24 \
  --authorization-mode RBAC --endpoint-reconciler-type none --disable-admission-plugins ServiceAccount \
  --profiling=false --v=1 "$@"
