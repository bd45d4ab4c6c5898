#!/usr/bin/env bash
# containerd's runtime binary for the test cluster: runc, except that a negative oomScoreAdj is
# raised to this process's own value. These VMs deny lowering oom_score_adj (no CAP_SYS_RESOURCE),
# and the kubelet asks for -998 for every pod sandbox (and -997 for Guaranteed pods), which makes
# runc fail with "can't get final child's PID from pipe". Nothing else is changed; OOM kills by a
# memory limit are unaffected (they come from the memory cgroup, not from the OOM score).
own=$(cat /proc/self/oom_score_adj 2>/dev/null || echo 0)
fix() { [[ -f "$1" ]] && sed -i -E "s/\"oomScoreAdj\":-[0-9]+/\"oomScoreAdj\":${own}/" "$1"; }
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  case "${args[$i]}" in
    --bundle|-b) fix "${args[$((i + 1))]}/config.json" ;;
    --bundle=*) fix "${args[$i]#--bundle=}/config.json" ;;
    --process|-p) fix "${args[$((i + 1))]}" ;;
  esac
done
exec runc "$@"
