// Loads one built-in demo recording (see catalog.ts). The bundler inlines each .jsonl file as text
// in a chunk of its own, so playing one demo loads only that recording.

import { UserError } from '../kube/errors.ts';
import { DEFAULT_DEMO, DEMOS } from './catalog.ts';

const RECORDINGS: Record<string, () => Promise<{ default: string }>> = {
  crashloop: () => import('../../recordings/crashloop.jsonl'),
  oom: () => import('../../recordings/oom.jsonl'),
  liveness: () => import('../../recordings/liveness.jsonl'),
  init: () => import('../../recordings/init.jsonl'),
  rollout: () => import('../../recordings/rollout.jsonl'),
  poststart: () => import('../../recordings/poststart.jsonl'),
  grace: () => import('../../recordings/grace.jsonl'),
  probes: () => import('../../recordings/probes.jsonl'),
  'missing-image': () => import('../../recordings/missing-image.jsonl'),
  'config-error': () => import('../../recordings/config-error.jsonl'),
  unschedulable: () => import('../../recordings/unschedulable.jsonl'),
  eviction: () => import('../../recordings/eviction.jsonl'),
  sidecar: () => import('../../recordings/sidecar.jsonl'),
  ephemeral: () => import('../../recordings/ephemeral.jsonl'),
  jobs: () => import('../../recordings/jobs.jsonl'),
  'poststart-slow': () => import('../../recordings/poststart-slow.jsonl'),
  'prestop-long': () => import('../../recordings/prestop-long.jsonl'),
  deadline: () => import('../../recordings/deadline.jsonl'),
  'not-executable': () => import('../../recordings/not-executable.jsonl'),
  'no-such-binary': () => import('../../recordings/no-such-binary.jsonl'),
  'crashloop-delete': () => import('../../recordings/crashloop-delete.jsonl'),
  'crashloop-late': () => import('../../recordings/crashloop-late.jsonl'),
};

export interface DemoRecording {
  readonly name: string;
  readonly title: string;
  readonly recording: string;
}

export async function loadDemo(name: string | undefined): Promise<DemoRecording> {
  const n = name ?? DEFAULT_DEMO;
  const load = RECORDINGS[n];
  if (!load || !DEMOS.some((d) => d.name === n))
    throw new UserError(`no demo named "${n}"`, `Demos: ${DEMOS.map((d) => d.name).join(', ')} (kubectl podlife demo --list).`, 2);
  return { name: n, title: `${n} (recorded from a real kubelet)`, recording: (await load()).default };
}
