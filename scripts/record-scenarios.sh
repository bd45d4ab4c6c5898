#!/usr/bin/env bash
# Records the observation stream of each scenario under test/scenarios/ against the real test
# cluster (npm run cluster:up), with `kubectl podlife --record`. The recordings are real test
# fixtures (recordings/) and the material of the built-in demo.
#   bash scripts/record-scenarios.sh [scenario ...]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
export KUBECONFIG="${KUBECONFIG:-/tmp/podlife-cluster/kubeconfig}"
out="$root/recordings"
mkdir -p "$out"
K() { kubectl "$@"; }

record() { # scenario target seconds [action...]
  local name=$1 target=$2 secs=$3; shift 3
  local ns="rec-$name-$(date +%s)"
  K create namespace "$ns" >/dev/null
  for _ in $(seq 1 60); do K get sa default -n "$ns" >/dev/null 2>&1 && break; sleep 0.5; done
  local wait=--wait
  if [[ -n "${APPLY_FIRST:-}" ]]; then
    # A workload is watched while it rolls out: it must exist when the watch starts.
    K apply -n "$ns" -f "$root/test/scenarios/${SCENARIO_FILE:-$name}.yaml" >/dev/null
    K rollout status -n "$ns" "$APPLY_FIRST" --timeout 60s >/dev/null
    wait=
  fi
  "$root/bin/kubectl-podlife" $target -n "$ns" $wait -o json --record "$out/$name.jsonl.tmp" > /dev/null 2>"$out/$name.err" &
  local pid=$!
  sleep 1.5
  [[ -n "${APPLY_FIRST:-}" ]] || K apply -n "$ns" -f "$root/test/scenarios/${SCENARIO_FILE:-$name}.yaml" >/dev/null
  if [[ $# -gt 0 ]]; then "$@" "$ns"; fi
  sleep "$secs"
  kill -INT "$pid" 2>/dev/null || echo "podlife for $name had already exited: $(cat "$out/$name.err")" >&2
  wait "$pid" 2>/dev/null || true
  mv "$out/$name.jsonl.tmp" "$out/$name.jsonl"
  [[ -s "$out/$name.err" ]] || rm -f "$out/$name.err"
  K delete namespace "$ns" --wait=false >/dev/null
  echo "recorded $name: $(wc -l < "$out/$name.jsonl") observations"
}
grace_action() { sleep 8; K delete pod grace -n "$1" --wait=false >/dev/null; }
debug_action() { sleep 6; K debug plain -n "$1" --image=docker.io/podlife/busybox:1 --image-pull-policy=Never -c debugger -- sh -c 'echo debugging; sleep 2; exit 0' >/dev/null; }
rollout_action() {
  sleep 3
  K -n "$1" patch deployment web --type json -p '[{"op":"replace","path":"/spec/template/spec/containers/0/command","value":["sh","-c","echo starting v2; sleep 1; echo panic: nil map >&2; exit 2"]}]' >/dev/null
}

want=("$@")
run() { local n=$1; shift; if [[ ${#want[@]} -eq 0 ]] || [[ " ${want[*]} " == *" $n "* ]]; then "$@" & fi; }
run crashloop record crashloop crashloop 200
run oom record oom oom 20
run init record init init 25
run poststart record poststart poststart 45
run grace record grace grace 25 grace_action
run liveness record liveness liveness 50
run probes record probes probes 30
run sidecar record sidecar sidecar 20
run config-error record config-error config-error 15
run unschedulable record unschedulable unschedulable 12
run missing-image record missing-image missing-image 40
run eviction record eviction eviction 80
wait
# Scenarios whose file differs from their name.
if [[ ${#want[@]} -eq 0 ]] || [[ " ${want[*]} " == *" ephemeral "* ]]; then SCENARIO_FILE=plain record ephemeral plain 15 debug_action; fi
if [[ ${#want[@]} -eq 0 ]] || [[ " ${want[*]} " == *" rollout "* ]]; then SCENARIO_FILE=deployment APPLY_FIRST=deployment/web record rollout deploy/web 45 rollout_action; fi
if [[ ${#want[@]} -eq 0 ]] || [[ " ${want[*]} " == *" jobs "* ]]; then record jobs "-l podlife-scenario" 25; fi
