// The hooks family.

import { postStartHookFailed, preStopHookFailed } from '../../../src/model/diagnose/hooks.ts';
import { fileVariant, finalPod, ruleTables, varyRecording, type RuleCase } from './helpers.ts';

const HOOK = 'exec sh -c sleep 3; echo "cannot register with the service registry" >&2; exit 1';

const cases: RuleCase[] = [
  {
    rule: postStartHookFailed,
    name: 'poststart recording: FailedPostStartHook events',
    subject: () => finalPod('poststart'),
    container: 'app',
    want: {
      severity: 'error',
      title: `the postStart hook fails (${HOOK}); the container is killed and restarted`,
      evidence: ['event Warning FailedPostStartHook x3 at 05:43:34: PostStartHook failed'],
    },
  },
  {
    rule: postStartHookFailed,
    name: 'poststart recording waiting in PostStartHookError: the waiting reason first',
    subject: () =>
      fileVariant(
        'poststart',
        (d) => {
          d.status.containerStatuses[0].state = { waiting: { reason: 'PostStartHookError', message: 'PostStartHook failed' } };
        },
        { events: true },
      ),
    container: 'app',
    want: {
      title: `the postStart hook fails (${HOOK}); the container is killed and restarted`,
      evidence: ['state.waiting.reason=PostStartHookError', 'message: PostStartHook failed', /^event Warning FailedPostStartHook x3/],
    },
  },
  { rule: postStartHookFailed, name: 'grace recording', subject: () => finalPod('grace'), container: 'app', want: undefined },
  {
    rule: preStopHookFailed,
    name: 'grace recording whose preStop hook failed (the kubelet event, pkg/kubelet/kuberuntime)',
    subject: () =>
      varyRecording('grace', {
        event: (e) => {
          if (e.reason !== 'Killing') return;
          e.type = 'Warning';
          e.reason = 'FailedPreStopHook';
          e.message = 'PreStopHook failed';
        },
      }),
    container: 'app',
    want: {
      severity: 'warning',
      title: 'the preStop hook failed (exec sh -c sleep 3); termination went on without it',
      evidence: [/^event Warning FailedPreStopHook at \d\d:\d\d:\d\d: PreStopHook failed$/],
    },
  },
  {
    rule: preStopHookFailed,
    name: 'grace recording: the preStop hook ran',
    subject: () => finalPod('grace'),
    container: 'app',
    want: undefined,
  },
];

ruleTables('hooks', cases);
