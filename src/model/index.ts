// The model's public surface. Pure: no I/O, no clock reads (time comes in through observations and
// the `now` argument of toSessionView).
//
//   initialState(options)            -> ModelState
//   reduce(state, observations)      -> ModelState   (same object back when nothing changed)
//   toSessionView(state, now)        -> SessionView  (the view-model every view draws)
//   eventsSince(state, seq)          -> LifecycleEvent[] with seq > the given one
//   lifecycleText(event)             -> the event as one line of English
//
// plus the pure formatters the views share with the model's own texts (durations, probes,
// the back-off countdown). Sources, store and views import the model from here only.
export type { Observation, ConnectionState } from './observation.ts';
export type { EventJson, PodJson } from './kube-json.ts';
export type * from './view.ts';
export type { LifecycleEvent, LifecycleEventKind } from './lifecycle-event.ts';
export { initialState, reduce, eventsSince, lastSeq, type ModelState } from './reduce/index.ts';
export { toSessionView } from './session-view.ts';
export { lifecycleText } from './lifecycle-text.ts';
export { countdownText } from './backoff.ts';
export { describeProbe } from './spec-describe.ts';
export { compactRuntimeMessage, runtimeCause } from './runtime-message.ts';
export { clockTime, formatGoDuration, humanDuration, parseTime, runLength, setClockFormat } from './time.ts';
