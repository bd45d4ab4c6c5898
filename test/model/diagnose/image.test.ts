// The image family.

import { imagePull } from '../../../src/model/diagnose/image.ts';
import { fileVariant, finalPod, fixturePod, ruleTables, type RuleCase } from './helpers.ts';

const IMAGE = '127.0.0.1:5999/podlife/does-not-exist:1';

const cases: RuleCase[] = [
  {
    rule: imagePull,
    name: 'missing-image recording: the pull error from the Failed event',
    subject: () => finalPod('missing-image'),
    container: 'app',
    want: {
      severity: 'error',
      title: new RegExp(
        `^image ${IMAGE.replace(/[.]/g, '\\.')} cannot be pulled: Failed to pull image "${IMAGE.replace(/[.]/g, '\\.')}": `,
      ),
      evidence: ['state.waiting.reason=ImagePullBackOff', /^event Warning Failed x3 at 05:43:43: Error: ErrImagePull$/],
    },
  },
  {
    rule: imagePull,
    name: 'missing-image recording without events: the waiting message',
    subject: () => fileVariant('missing-image', () => {}),
    container: 'app',
    want: { title: new RegExp(`cannot be pulled: Back-off pulling image "${IMAGE.replace(/[.]/g, '\\.')}": ErrImagePull: `) },
  },
  {
    rule: imagePull,
    name: 'public fixture imagepullbackoff',
    subject: () => fixturePod('imagepullbackoff.yaml'),
    container: 'nginx',
    want: { title: /^image nginx:1\.13-invalid cannot be pulled/ },
  },
  { rule: imagePull, name: 'crashloop recording', subject: () => finalPod('crashloop'), container: 'app', want: undefined },
  { rule: imagePull, name: 'config-error recording', subject: () => finalPod('config-error'), container: 'app', want: undefined },
];

ruleTables('image', cases);
