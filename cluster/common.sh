# Shared settings of the test cluster scripts (sourced).
PODLIFE_CLUSTER_DIR="${PODLIFE_CLUSTER_DIR:-/tmp/podlife-cluster}"
K8S_VERSION=v1.34.4
ETCD_VERSION=v3.6.4
BIN="${PODLIFE_CACHE:-$HOME/.cache/kubectl-podlife}/k8s-${K8S_VERSION}-etcd-${ETCD_VERSION}/bin"
D="$PODLIFE_CLUSTER_DIR"
APISERVER_PORT="${PODLIFE_APISERVER_PORT:-16443}"
ETCD_CLIENT_PORT=23790
ETCD_PEER_PORT=23800
KUBELET_PORT=10250
KUBELET_HEALTHZ_PORT=10248
NODE_NAME=podlife-node
POD_CIDR=10.88.0.0/16
NODE_IP=10.88.0.1
BRIDGE=podlife0
SOCK="$D/containerd/containerd.sock"
COMPONENTS=(containerd etcd kube-apiserver kube-controller-manager kube-scheduler kubelet)
ts0=${ts0:-$(date +%s)}
say() { echo "[cluster +$(( $(date +%s) - ts0 ))s] $*"; }
die() { echo "cluster: $*" >&2; exit 1; }
pid_alive() { [[ -f "$D/pids/$1" ]] && kill -0 "$(cat "$D/pids/$1")" 2>/dev/null; }
