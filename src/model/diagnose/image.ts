// Images that cannot be pulled.

import { eventEvidence, eventsOf } from './context.ts';
import type { ContainerRule } from './rule.ts';

/** Waiting reasons of a container whose image is not there. */
export const IMAGE_PULL_REASONS: readonly string[] = [
  'ErrImagePull',
  'ImagePullBackOff',
  'InvalidImageName',
  'ErrImageNeverPull',
  'RegistryUnavailable',
];

export const imagePull: ContainerRule = {
  id: 'image-pull',
  family: 'image',
  scope: 'container',
  run: (pod, c) => {
    if (c.state !== 'waiting' || !c.reason || !IMAGE_PULL_REASONS.includes(c.reason)) return undefined;
    const pullErr = eventsOf(pod, c.name, ['Failed']).filter((e) => /image/i.test(e.message));
    const detail = pullErr.find((e) => /Failed to pull image/.test(e.message))?.message ?? c.message;
    return {
      severity: 'error',
      container: c.name,
      title: `image ${c.image ?? '?'} cannot be pulled${detail ? `: ${detail}` : ''}`,
      evidence: [
        `state.waiting.reason=${c.reason}`,
        ...(c.message ? [`state.waiting.message: ${c.message}`] : []),
        ...pullErr.map(eventEvidence),
      ],
    };
  },
};
