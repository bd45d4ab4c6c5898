// A pod of a Job, watched by its own name, when the Job fails: the Job controller writes on the Job
// (not on the pod) that it deleted the pod ("Deleted pod: NAME"), and its verdict (DeadlineExceeded)
// seconds later, once the pod is gone. podlife watches the Job's events beside the pod's, so while
// the pod is stopped its termination names the Job controller, not a bare "deletion requested".

import assert from 'node:assert/strict';
import { test } from 'vitest';
import { applyScenario, inNamespace, kubectl, Streaming, waitFor } from './helpers/env.ts';

interface PodLine {
  kind: string;
  termination: { cause: string; step: string } | null;
  findings: { title: string; evidence: string[] }[];
  containers: { instances: { causeText: string | null }[] }[];
}

test(
  'a Job past its activeDeadlineSeconds: the pod, watched by name, is stopped by the Job controller, as the Job says',
  { timeout: 120_000 },
  async () => {
    await inNamespace('e2e-job-pod', async (ns) => {
      await applyScenario('job-deadline.yaml', ns.name);
      let pod = '';
      await waitFor(
        async () => {
          const out = await kubectl(['get', 'pods', '-n', ns.name, '-l', 'job-name=deadline', '-o', 'jsonpath={.items[*].metadata.name}']);
          pod = out.stdout.trim().split(' ')[0] ?? '';
          return pod !== '';
        },
        30_000,
        'the Job pod',
      );
      const s = new Streaming([pod, '-n', ns.name, '-o', 'json']);
      try {
        const { line } = await s.waitForLine(
          (l) => l.startsWith('{"kind":"pod"') && (JSON.parse(l) as PodLine).termination?.cause === 'job',
          60_000,
        );
        const p = JSON.parse(line) as PodLine;
        const finding = p.findings.find((f) => f.title.startsWith(`the controller of its Job deadline deleted it`));
        assert.ok(finding, JSON.stringify(p.findings));
        assert.ok(
          finding.evidence.some((e) => e.includes(`SuccessfulDelete`) && e.includes(`Deleted pod: ${pod} (on Job/deadline)`)),
          JSON.stringify(finding.evidence),
        );
        // The same event, as kubectl reads it on the Job.
        const events = JSON.parse(
          (
            await kubectl([
              'get',
              'events',
              '-n',
              ns.name,
              '--field-selector',
              'involvedObject.kind=Job,reason=SuccessfulDelete',
              '-o',
              'json',
            ])
          ).stdout,
        ).items as { message: string }[];
        assert.ok(
          events.some((e) => e.message === `Deleted pod: ${pod}`),
          JSON.stringify(events),
        );
        // The ended instance says who stopped it.
        const { line: ended } = await s.waitForLine(
          (l) =>
            l.startsWith('{"kind":"pod"') &&
            (JSON.parse(l) as PodLine).containers[0]!.instances.some((i) => /Job deadline/.test(i.causeText ?? '')),
          30_000,
        );
        assert.match(
          JSON.stringify((JSON.parse(ended) as PodLine).containers[0]!.instances),
          /the controller of its Job deadline deleted it/,
        );
        assert.equal(s.stderr, '');
      } finally {
        await s.stop();
      }
    });
  },
);
