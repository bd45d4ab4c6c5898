#!/usr/bin/env bash
# A real single-node Kubernetes cluster on loopback: etcd, kube-apiserver, kube-controller-manager,
# kube-scheduler (built from Go modules by build.sh) and a kubelet running pods in Debian's
# containerd + runc with a CNI bridge. Idempotent; run as root. Data lives in $PODLIFE_CLUSTER_DIR
# (default /tmp/podlife-cluster); every process is recorded by PID for down.sh.
#   PODLIFE_NO_KUBELET=1  start the control plane only (fake nodes can be added later)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/common.sh"
source "$here/images.sh"

[[ $EUID -eq 0 ]] || die "run as root (containerd, runc and the kubelet need it): sudo npm run cluster:up"
command -v go >/dev/null || die "Go is not installed; the cluster is built from Go modules (Go >= 1.24)"

if pid_alive kube-apiserver && [[ -f "$D/kubeconfig" ]] && kubectl --kubeconfig "$D/kubeconfig" get --raw /readyz >/dev/null 2>&1; then
  say "already running; kubeconfig: $D/kubeconfig"
  exit 0
fi

need=()
for p in containerd:containerd runc:runc containernetworking-plugins:/usr/lib/cni/bridge busybox-static:/bin/busybox iptables:iptables openssl:openssl conntrack:conntrack; do
  pkg=${p%%:*}; what=${p#*:}
  if [[ "$what" == /* ]]; then [[ -e "$what" ]] || need+=("$pkg"); else command -v "$what" >/dev/null || need+=("$pkg"); fi
done
if (( ${#need[@]} )); then
  say "installing Debian packages: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null || die "apt-get could not install ${need[*]}"
fi
# A packaged containerd may have started its own daemon: ours uses its own socket and state.

say "binaries"
bash "$here/build.sh"

# Ports must be free (a leftover of an earlier run is stopped first).
bash "$here/down.sh" >/dev/null 2>&1 || true
for port in $APISERVER_PORT $ETCD_CLIENT_PORT $ETCD_PEER_PORT $KUBELET_PORT $KUBELET_HEALTHZ_PORT; do
  if (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null; then die "port $port on 127.0.0.1 is taken by another process (ss -ltnp | grep $port)"; fi
done

rm -rf "$D"
mkdir -p "$D"/{pids,logs,pki,etcd,containerd,cni/net.d,kubelet,images,manifests}
chmod 700 "$D/pki"

say "certificates"
P="$D/pki"
openssl_q() { openssl "$@" 2>/dev/null; }
openssl_q req -x509 -newkey rsa:2048 -nodes -keyout "$P/ca.key" -out "$P/ca.crt" -days 30 -subj "/CN=podlife-test-ca"
cert() { # name subject [san]
  local name=$1 subj=$2 san=${3:-}
  openssl_q req -newkey rsa:2048 -nodes -keyout "$P/$name.key" -out "$P/$name.csr" -subj "$subj"
  local ext="$P/$name.ext"
  { echo "basicConstraints=CA:FALSE"; echo "keyUsage=digitalSignature,keyEncipherment";
    if [[ -n "$san" ]]; then echo "extendedKeyUsage=serverAuth,clientAuth"; echo "subjectAltName=$san"; else echo "extendedKeyUsage=clientAuth"; fi; } > "$ext"
  openssl_q x509 -req -in "$P/$name.csr" -CA "$P/ca.crt" -CAkey "$P/ca.key" -CAcreateserial -out "$P/$name.crt" -days 30 -extfile "$ext"
}
cert apiserver "/CN=kube-apiserver" "IP:127.0.0.1,IP:10.96.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc"
cert admin "/O=system:masters/CN=podlife-admin"
cert restricted "/CN=podlife-restricted"
cert controller-manager "/CN=system:kube-controller-manager"
cert scheduler "/CN=system:kube-scheduler"
cert kubelet-client "/O=system:nodes/CN=system:node:$NODE_NAME"
cert kubelet-serving "/CN=$NODE_NAME" "IP:127.0.0.1,IP:$NODE_IP,DNS:$NODE_NAME,DNS:localhost"
cert apiserver-kubelet-client "/O=system:masters/CN=kube-apiserver-kubelet-client"
openssl_q genrsa -out "$P/sa.key" 2048
openssl_q rsa -in "$P/sa.key" -pubout -out "$P/sa.pub"

kubeconfig() { # file user cert
  cat > "$1" <<KC
apiVersion: v1
kind: Config
clusters:
- name: podlife
  cluster:
    server: https://127.0.0.1:$APISERVER_PORT
    certificate-authority: $P/ca.crt
users:
- name: $2
  user:
    client-certificate: $P/$3.crt
    client-key: $P/$3.key
contexts:
- name: $2@podlife
  context: {cluster: podlife, user: $2, namespace: default}
current-context: $2@podlife
KC
}
kubeconfig "$D/kubeconfig" podlife-admin admin
kubeconfig "$D/kubeconfig-restricted" podlife-restricted restricted
kubeconfig "$D/controller-manager.kubeconfig" system:kube-controller-manager controller-manager
kubeconfig "$D/scheduler.kubeconfig" system:kube-scheduler scheduler
kubeconfig "$D/kubelet.kubeconfig" "system:node:$NODE_NAME" kubelet-client

start() { # name logfile command...
  local name=$1; shift
  setsid "$@" > "$D/logs/$name.log" 2>&1 < /dev/null &
  echo $! > "$D/pids/$name"
  say "$name started (pid $!, log $D/logs/$name.log)"
}
wait_for() { # what seconds command...
  local what=$1 secs=$2; shift 2
  for _ in $(seq 1 $((secs * 4))); do "$@" >/dev/null 2>&1 && return 0; sleep 0.25; done
  die "$what did not come up in ${secs}s; see $D/logs/"
}
on_fail() { echo "cluster: start failed; stopping what was started" >&2; bash "$here/down.sh" >/dev/null 2>&1; }
trap on_fail ERR

say "etcd"
start etcd "$BIN/etcd" --name podlife --data-dir "$D/etcd" \
  --listen-client-urls "http://127.0.0.1:$ETCD_CLIENT_PORT" --advertise-client-urls "http://127.0.0.1:$ETCD_CLIENT_PORT" \
  --listen-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" --initial-advertise-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
  --initial-cluster "podlife=http://127.0.0.1:$ETCD_PEER_PORT" --log-level warn --quota-backend-bytes 2147483648
wait_for etcd 30 bash -c "exec 3<>/dev/tcp/127.0.0.1/$ETCD_CLIENT_PORT"
# Beside the kubeconfig, for tests that need etcd itself (the e2e 410 test compacts it).
echo "http://127.0.0.1:$ETCD_CLIENT_PORT" > "$D/etcd-url"

say "kube-apiserver"
start kube-apiserver "$BIN/kube-apiserver" --etcd-servers "http://127.0.0.1:$ETCD_CLIENT_PORT" \
  --bind-address 127.0.0.1 --advertise-address 127.0.0.1 --secure-port "$APISERVER_PORT" \
  --tls-cert-file "$P/apiserver.crt" --tls-private-key-file "$P/apiserver.key" --client-ca-file "$P/ca.crt" \
  --service-account-key-file "$P/sa.pub" --service-account-signing-key-file "$P/sa.key" \
  --service-account-issuer https://kubernetes.default.svc.cluster.local --service-cluster-ip-range 10.96.0.0/24 \
  --authorization-mode Node,RBAC --allow-privileged=true --endpoint-reconciler-type none \
  --kubelet-client-certificate "$P/apiserver-kubelet-client.crt" --kubelet-client-key "$P/apiserver-kubelet-client.key" \
  --kubelet-certificate-authority "$P/ca.crt" --kubelet-preferred-address-types InternalIP,Hostname \
  --event-ttl 1h --profiling=false --v=1
wait_for kube-apiserver 90 kubectl --kubeconfig "$D/kubeconfig" get --raw /readyz

say "kube-controller-manager and kube-scheduler"
start kube-controller-manager "$BIN/kube-controller-manager" --kubeconfig "$D/controller-manager.kubeconfig" \
  --authentication-kubeconfig "$D/controller-manager.kubeconfig" --authorization-kubeconfig "$D/controller-manager.kubeconfig" \
  --bind-address 127.0.0.1 --secure-port 10257 --leader-elect=false \
  --service-account-private-key-file "$P/sa.key" --root-ca-file "$P/ca.crt" --use-service-account-credentials \
  --cluster-signing-cert-file "$P/ca.crt" --cluster-signing-key-file "$P/ca.key" \
  --controllers '*,-nodeipam,-cloud-node-lifecycle,-service-lb-controller,-node-route-controller' --v=1
start kube-scheduler "$BIN/kube-scheduler" --kubeconfig "$D/scheduler.kubeconfig" \
  --authentication-kubeconfig "$D/scheduler.kubeconfig" --authorization-kubeconfig "$D/scheduler.kubeconfig" \
  --bind-address 127.0.0.1 --secure-port 10259 --leader-elect=false --v=1

say "RBAC for the restricted user (get/list/watch pods only: no events, no logs)"
K() { kubectl --kubeconfig "$D/kubeconfig" "$@"; }
K apply -f - >/dev/null <<'RBAC'
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: podlife-restricted}
rules:
- apiGroups: [""]
  resources: [pods]
  verbs: [get, list, watch]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: podlife-restricted}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: podlife-restricted}
subjects:
- {apiGroup: rbac.authorization.k8s.io, kind: User, name: podlife-restricted}
RBAC

if [[ "${PODLIFE_NO_KUBELET:-}" == 1 ]]; then
  trap - ERR
  say "control plane ready (no kubelet); kubeconfig: $D/kubeconfig"
  exit 0
fi

say "containerd (own socket and state under $D/containerd)"
cat > "$D/containerd/config.toml" <<TOML
version = 2
root = "$D/containerd/root"
state = "$D/containerd/state"
[grpc]
  address = "$SOCK"
[ttrpc]
  address = "$SOCK.ttrpc"
[debug]
  level = "warn"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "docker.io/podlife/pause:1"
  enable_selinux = false
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        SystemdCgroup = false
        BinaryName = "$here/runc-wrapper.sh"
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "$D/cni/net.d"
  [plugins."io.containerd.grpc.v1.cri".registry]
    config_path = ""
TOML
cat > "$D/cni/net.d/10-podlife.conflist" <<CNI
{
  "cniVersion": "1.0.0",
  "name": "podlife",
  "plugins": [
    {"type": "bridge", "bridge": "$BRIDGE", "isGateway": true, "ipMasq": false, "hairpinMode": true,
     "ipam": {"type": "host-local", "ranges": [[{"subnet": "$POD_CIDR"}]], "routes": [{"dst": "$POD_CIDR"}], "dataDir": "$D/cni/ipam"}},
    {"type": "loopback"}
  ]
}
CNI
# The node's address is the bridge's gateway: the kubelet refuses a loopback node IP, and the
# apiserver must reach the kubelet (logs, exec) at the node's InternalIP. Traffic stays on this host.
ip link add "$BRIDGE" type bridge 2>/dev/null || true
ip addr add "$NODE_IP/16" dev "$BRIDGE" 2>/dev/null || true
ip link set "$BRIDGE" up
start containerd containerd --config "$D/containerd/config.toml"
wait_for containerd 30 ctr -a "$SOCK" version

say "images (OCI tarballs from busybox-static)"
build_images

say "kubelet"
cat > "$D/kubelet/config.yaml" <<KUB
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
address: $NODE_IP
port: $KUBELET_PORT
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
healthzPort: $KUBELET_HEALTHZ_PORT
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: true}
  x509: {clientCAFile: $P/ca.crt}
authorization: {mode: Webhook}
tlsCertFile: $P/kubelet-serving.crt
tlsPrivateKeyFile: $P/kubelet-serving.key
cgroupDriver: cgroupfs
containerRuntimeEndpoint: unix://$SOCK
imageServiceEndpoint: unix://$SOCK
failCgroupV1: false
failSwapOn: false
clusterDomain: cluster.local
clusterDNS: [10.96.0.10]
resolvConf: ""
evictionHard: {memory.available: "100Mi", nodefs.available: "1%", imagefs.available: "1%", nodefs.inodesFree: "1%"}
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
serializeImagePulls: false
maxPods: 110
podCIDR: $POD_CIDR
rotateCertificates: false
serverTLSBootstrap: false
localStorageCapacityIsolation: true
KUB
start kubelet "$BIN/kubelet" --config "$D/kubelet/config.yaml" --kubeconfig "$D/kubelet.kubeconfig" \
  --hostname-override "$NODE_NAME" --node-ip "$NODE_IP" --root-dir "$D/kubelet" --cert-dir "$D/kubelet/pki" --v=1
wait_for "node $NODE_NAME Ready" 120 bash -c "kubectl --kubeconfig '$D/kubeconfig' get node $NODE_NAME -o jsonpath='{.status.conditions[?(@.type==\"Ready\")].status}' | grep -q True"
wait_for "default service account" 60 kubectl --kubeconfig "$D/kubeconfig" get serviceaccount default -n default
trap - ERR
say "ready: node $NODE_NAME ($K8S_VERSION). kubeconfig: $D/kubeconfig  (restricted user: $D/kubeconfig-restricted)"
