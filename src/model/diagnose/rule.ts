// What a rule of the diagnosis is: a pure function of the pod's view-model that returns one finding
// (or none), with an id that other rules name to suppress it.

import type { ContainerView, FindingView, PodView } from '../view.ts';

/** What the diagnosis reads: the pod's view-model without its findings. */
export type DiagnosisInput = Omit<PodView, 'findings'>;

export interface DiagnoseContext {
  /** The clock of the view (epoch ms); the model never reads one itself. */
  readonly now: number;
}

export type Family =
  | 'scheduling'
  | 'image'
  | 'create'
  | 'hooks'
  | 'oom'
  | 'exit-code'
  | 'sigkill'
  | 'termination'
  | 'probes'
  | 'crash-loop'
  | 'final-failure'
  | 'readiness';

interface RuleBase {
  /** Stable and unique, kebab-case: "oom-killed", "liveness-kill", "crash-loop". */
  readonly id: string;
  readonly family: Family;
  /**
   * Rules whose findings about the same container (or the pod, for pod rules) are dropped when this
   * rule fires: a specific explanation replaces a generic one that rests on the same evidence.
   */
  readonly suppresses?: readonly string[];
}

export interface PodRule extends RuleBase {
  readonly scope: 'pod';
  /** A list only for rules that report each of several events on its own (one finding per event). */
  readonly run: (pod: DiagnosisInput, ctx: DiagnoseContext) => FindingView | readonly FindingView[] | undefined;
}

export interface ContainerRule extends RuleBase {
  readonly scope: 'container';
  readonly run: (pod: DiagnosisInput, c: ContainerView, ctx: DiagnoseContext) => FindingView | undefined;
  /**
   * Findings of rules with an `order` trade places among themselves by this key (stable) instead of
   * following the table: the SIGKILL causes of one container come in the order their first kill happened.
   */
  readonly order?: (c: ContainerView) => number;
}

export type Rule = PodRule | ContainerRule;
