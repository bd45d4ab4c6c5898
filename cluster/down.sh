#!/usr/bin/env bash
# Stop what cluster/up.sh started, by PID (never by name), in reverse order; unmount pod mounts.
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/common.sh"
[[ -d "$D/pids" ]] || { echo "cluster: nothing to stop ($D/pids does not exist)"; exit 0; }
stop() { # name
  local f="$D/pids/$1" pid
  [[ -f "$f" ]] || return 0
  pid=$(cat "$f")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
    say "stopped $1 (pid $pid)"
  fi
  rm -f "$f"
}
stop kubelet
# Pod containers are children of containerd's shims: stop their tasks before containerd goes.
if pid_alive containerd && [[ -S "$SOCK" ]]; then
  for c in $(ctr -a "$SOCK" -n k8s.io tasks ls -q 2>/dev/null); do ctr -a "$SOCK" -n k8s.io tasks kill -s SIGKILL "$c" >/dev/null 2>&1; done
  sleep 1
fi
for c in kube-scheduler kube-controller-manager kube-apiserver etcd containerd; do stop "$c"; done
# Leftover shims of our containerd (their command line names our socket's directory).
for p in $(pgrep -f "containerd-shim.*-address $D/containerd" 2>/dev/null); do kill -KILL "$p" 2>/dev/null; done
# Mounts under our directory (pod volumes, sandboxes, overlay snapshots).
grep -o " $D[^ ]*" /proc/mounts 2>/dev/null | sort -r | while read -r m; do umount -l "$m" 2>/dev/null; done
ip link del "$BRIDGE" 2>/dev/null
exit 0
