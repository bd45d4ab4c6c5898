#!/usr/bin/env bash
# Which cluster processes run, and whether the node is Ready.
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/common.sh"
rc=0
for c in "${COMPONENTS[@]}"; do
  if pid_alive "$c"; then echo "$c: running (pid $(cat "$D/pids/$c"))"; else echo "$c: not running"; rc=1; fi
done
if [[ -f "$D/kubeconfig" ]]; then
  kubectl --kubeconfig "$D/kubeconfig" get nodes 2>&1 || rc=1
  echo "kubeconfig: $D/kubeconfig (restricted user: $D/kubeconfig-restricted)"
fi
exit $rc
