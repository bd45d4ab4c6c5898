// The model's public surface. Pure: no I/O, no clock reads (time comes in through observations and
// the `now` argument of toSessionView).
//
//   initialState(options)            -> ModelState
//   reduce(state, observations)      -> ModelState   (same object back when nothing changed)
//   toSessionView(state, now)        -> SessionView  (the view-model every view draws)
//   eventsSince(state, seq)          -> LifecycleEvent[] with seq > the given one
export type { Observation, ConnectionState } from './observation.ts';
export type * from './view.ts';
export type { LifecycleEvent, LifecycleEventKind } from './lifecycle-event.ts';
export { initialState, reduce, eventsSince, lastSeq, type ModelState } from './timeline.ts';
export { toSessionView } from './session-view.ts';
export { podColumns } from './pod-status.ts';
export { countdownText, parseBackoffDelay } from './backoff.ts';
