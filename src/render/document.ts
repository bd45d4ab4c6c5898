// An exported picture (--export): titled sections of render lines, serialised by src/output as
// SVG, HTML or Markdown. The same lines the text printer writes, so a screenshot, an exported
// picture and a pasted text timeline agree.

import type { SessionView } from '../model/index.ts';
import { UTC_CLOCK, type Clock } from './clock.ts';
import type { Line } from './line.ts';
import { renderPicture } from './pod.ts';
import { WHOLE_LIFE, type TimelineState, type TimeRef } from './window.ts';

export interface DocSection {
  /** A heading (Markdown) and the first line of the section elsewhere. */
  readonly title: string;
  readonly lines: readonly Line[];
}

export interface Document {
  readonly title: string;
  readonly subtitle: string;
  readonly sections: readonly DocSection[];
}

/**
 * The rollout of a workload target, drawn before its pods. The rollout view (issue 10) provides it;
 * until then a workload target exports the pictures of its pods.
 */
export type RolloutSection = (view: SessionView, o: { readonly width: number; readonly clock: Clock }) => DocSection | undefined;

export interface DocumentOptions {
  readonly target: string;
  readonly width: number;
  readonly clock?: Clock;
  readonly timeline?: TimelineState;
  /** --cursor: the moment the timelines' cursor lines name. */
  readonly cursor?: TimeRef | undefined;
  readonly rollout?: RolloutSection;
}

export function documentOf(view: SessionView, o: DocumentOptions): Document {
  const clock = o.clock ?? UTC_CLOCK;
  const sections: DocSection[] = [];
  const rollout = o.rollout?.(view, { width: o.width, clock });
  if (rollout) sections.push(rollout);
  // As the text printer does on exit: the current pods, or every life when there are few.
  const pods = view.pods.filter((p) => p.current || view.pods.length <= 3);
  for (const pod of pods)
    sections.push({
      title: `${pod.namespace}/${pod.name}${pod.life > 1 ? ` (life ${pod.life})` : ''}`,
      lines: renderPicture(view, pod, { width: o.width, clock, timeline: o.timeline ?? WHOLE_LIFE, cursor: o.cursor }),
    });
  if (pods.length === 0) sections.push({ title: 'no pods', lines: [[{ text: 'no pods', dim: true }]] });
  return {
    title: `podlife ${o.target}`,
    subtitle: `as of ${clock.dateTime(view.now)} ${clock.label(view.now)}${view.source === 'file' ? ', from a file' : ''}`,
    sections,
  };
}
