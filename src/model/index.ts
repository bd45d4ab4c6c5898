// The model's public surface. Pure: no I/O, no clock reads (time comes in through observations and
// the `now` argument of toSessionView).
//
//   initialState(options)            -> ModelState
//   reduce(state, observations)      -> ModelState   (same object back when nothing changed)
//   toSessionView(state, now)        -> SessionView  (the view-model of the pod views)
//   podViewOf(state, record, now)    -> PodView      (one pod's detailed view, for the pod looked at)
//   podRow(record, state)            -> PodRow       (the light row of one pod, cached per record)
//   groupSelector(target, options)   -> (state) -> GroupView (a rollout or a group of pods; memoised)
//   decideGroup(view, until, now)    -> UntilDecision (--until)
//   eventsSince(state, seq)          -> LifecycleEvent[] with seq > the given one
//   lifecycleText(event)             -> the event as one line of English
//
// plus the pure formatters the views share with the model's own texts (durations, probes,
// the back-off countdown). Sources, store and views import the model from here only.
export type { Observation, ConnectionState } from './observation.ts';
export type { EventJson, PodJson } from './kube-json.ts';
export type * from './view.ts';
export type { EventCore } from './types.ts';
export type { LifecycleEvent, LifecycleEventKind } from './lifecycle-event.ts';
export {
  initialState,
  reduce,
  eventsSince,
  lastSeq,
  type ModelState,
  type PodRecord,
  type WorkloadEventRecord,
  type WorkloadRecord,
} from './reduce/index.ts';
export { toSessionView, podViewOf, sessionWith } from './session-view.ts';
export { followedPod } from './replacement.ts';
export * from './views/pod-row.ts';
export * from './views/rollout-model.ts';
export {
  DEFAULT_FAIL_RESTARTS,
  UNTIL_TARGETS,
  budgetOf,
  decideUntil,
  kindLabel,
  progressDeadlineText,
  verdictLine,
  type RolloutView,
  type UntilDecision,
  type UntilTarget,
  type Verdict,
  type VerdictState,
} from './rollout.ts';
export type { WorkloadCondition, WorkloadKind, WorkloadSnapshot } from './workload.ts';
export { lifecycleText } from './lifecycle-text.ts';
export { countdownText } from './backoff.ts';
export { describeProbe } from './spec-describe.ts';
export { compactRuntimeMessage, runtimeCause } from './runtime-message.ts';
export { clockTime, formatGoDuration, humanDuration, parseTime, runLength, setClockFormat } from './time.ts';
