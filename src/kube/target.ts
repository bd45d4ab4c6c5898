// What to watch: "NAME", "pod/NAME", "po/NAME" (one pod, followed across recreations under the same
// name), "-l k=v" (a label selector), a workload ("deploy/x", "sts/x", "ds/x", "rs/x", "job/x",
// "cronjob/x", with kubectl's long, plural and group forms: "deployment.apps/x", "deployments/x",
// "cj/x", "jobs.batch/x", "deployments.v1.apps/x") watched with its pods, or every pod (-A, or
// --field-selector alone). --field-selector
// narrows any of them and -A widens a selection to all namespaces, as with kubectl get pods.
// Parsing is pure and cheap to load (cli.ts uses it before anything else); resolution asks the API
// server (resolve-target.ts, loaded with the cluster client).

import { UserError } from './errors.ts';

export type TargetSpec =
  | { readonly kind: 'pod'; readonly name: string }
  | { readonly kind: 'selector'; readonly selector: string }
  | { readonly kind: 'workload'; readonly resource: WorkloadResource; readonly name: string }
  | { readonly kind: 'all' };

/** How the pods of a target are narrowed or widened: kubectl get's -A and --field-selector. */
export interface Scope {
  /** Every namespace (-A / --all-namespaces); the namespace flags are then ignored, as kubectl ignores them. */
  readonly allNamespaces: boolean;
  /** A field selector on pods (status.phase=Failed, spec.nodeName=x, ...), as the API server reads it. */
  readonly fieldSelector: string | undefined;
}

export const NO_SCOPE: Scope = { allNamespaces: false, fieldSelector: undefined };

export type WorkloadResource = 'deployments' | 'statefulsets' | 'daemonsets' | 'replicasets' | 'jobs' | 'cronjobs';

/** The kind each workload resource holds. */
export const WORKLOAD_KIND = {
  deployments: 'Deployment',
  statefulsets: 'StatefulSet',
  daemonsets: 'DaemonSet',
  replicasets: 'ReplicaSet',
  jobs: 'Job',
  cronjobs: 'CronJob',
} as const satisfies Readonly<Record<WorkloadResource, string>>;

export const WORKLOADS: Readonly<Record<string, { readonly resource: WorkloadResource; readonly group: string }>> = {
  deploy: { resource: 'deployments', group: 'apps/v1' },
  deployment: { resource: 'deployments', group: 'apps/v1' },
  deployments: { resource: 'deployments', group: 'apps/v1' },
  sts: { resource: 'statefulsets', group: 'apps/v1' },
  statefulset: { resource: 'statefulsets', group: 'apps/v1' },
  statefulsets: { resource: 'statefulsets', group: 'apps/v1' },
  ds: { resource: 'daemonsets', group: 'apps/v1' },
  daemonset: { resource: 'daemonsets', group: 'apps/v1' },
  daemonsets: { resource: 'daemonsets', group: 'apps/v1' },
  rs: { resource: 'replicasets', group: 'apps/v1' },
  replicaset: { resource: 'replicasets', group: 'apps/v1' },
  replicasets: { resource: 'replicasets', group: 'apps/v1' },
  job: { resource: 'jobs', group: 'batch/v1' },
  jobs: { resource: 'jobs', group: 'batch/v1' },
  cj: { resource: 'cronjobs', group: 'batch/v1' },
  cronjob: { resource: 'cronjobs', group: 'batch/v1' },
  cronjobs: { resource: 'cronjobs', group: 'batch/v1' },
};

/**
 * A resource as kubectl spells it: an alias of WORKLOADS alone, or qualified by its API group
 * ("deployment.apps", "cj.batch") or by version and group ("deployments.v1.apps").
 */
export function workloadOf(type: string): { readonly resource: WorkloadResource; readonly group: string } | undefined {
  const dot = type.indexOf('.');
  const w = WORKLOADS[dot < 0 ? type : type.slice(0, dot)];
  if (!w || dot < 0) return w;
  const [group, version] = w.group.split('/') as [string, string];
  const rest = type.slice(dot + 1);
  return rest === group || rest === `${version}.${group}` ? w : undefined;
}

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

const USAGE =
  'Usage: kubectl podlife POD | pod/POD | deploy/NAME | sts/NAME | job/NAME | -l key=value | -A | --field-selector f=v (see --help)';

export function parseTarget(arg: string | undefined, selector: string | undefined, scope: Scope = NO_SCOPE): TargetSpec {
  if (scope.fieldSelector !== undefined) checkFieldSelector(scope.fieldSelector);
  const t = parseTargetOnly(arg, selector, scope);
  // kubectl: `kubectl get pod x -A` fails the same way.
  if (scope.allNamespaces && (t.kind === 'pod' || t.kind === 'workload'))
    throw new UserError(
      'a resource cannot be retrieved by name across all namespaces',
      `Drop -A and give its namespace with -n, or select pods by label: kubectl podlife -A -l app=${t.name}`,
      2,
    );
  return t;
}

function parseTargetOnly(arg: string | undefined, selector: string | undefined, scope: Scope): TargetSpec {
  if (selector !== undefined) {
    if (arg !== undefined)
      throw new UserError(
        `give either a pod name or -l, not both (got "${arg}" and -l "${selector}")`,
        'Example: kubectl podlife -l app=web',
        2,
      );
    if (selector.trim() === '') throw new UserError('-l needs a label selector', 'Example: kubectl podlife -l app=web', 2);
    return { kind: 'selector', selector };
  }
  if (arg === undefined && (scope.allNamespaces || (scope.fieldSelector ?? '') !== '')) return { kind: 'all' };
  if (arg === undefined || arg === '') throw new UserError('no pod given', USAGE, 2);
  const slash = arg.indexOf('/');
  if (slash < 0) return checkName({ kind: 'pod' as const, name: arg }, arg);
  const type = arg.slice(0, slash).toLowerCase();
  const name = arg.slice(slash + 1);
  if (type === 'pod' || type === 'po' || type === 'pods' || type === 'pods.v1' || type === 'pod.v1')
    return checkName({ kind: 'pod' as const, name }, arg);
  const w = workloadOf(type);
  if (!w) {
    throw new UserError(
      `unsupported resource type "${type}" in "${arg}"`,
      'Use pod/NAME, deploy/NAME, sts/NAME, ds/NAME, rs/NAME, job/NAME, cronjob/NAME or -l key=value.',
      2,
    );
  }
  return checkName({ kind: 'workload' as const, resource: w.resource, name }, arg);
}

function checkName<T extends { readonly name: string }>(t: T, arg: string): T {
  if (!DNS_SUBDOMAIN.test(t.name) || t.name.length > 253) {
    throw new UserError(
      t.name === ''
        ? `"${arg}" names no ${arg.slice(0, -1)}: a name must follow the "/"`
        : `"${arg}" is not a valid name: names are lowercase letters, digits, "-" and "."`,
      t.name === '' ? `Example: kubectl podlife ${arg}web` : 'Check the spelling (kubectl get pods lists the names).',
      2,
    );
  }
  return t;
}

/**
 * The syntax of a field selector as the API server reads it (apimachinery fields.ParseSelector):
 * comma-separated `key=value`, `key==value` or `key!=value`, with `\,` `\=` `\\` escaped in values.
 * Whether the key is supported for pods is for the server to say.
 */
export function checkFieldSelector(selector: string): void {
  if (selector.trim() === '') return;
  const terms: string[] = [];
  let cur = '';
  for (let i = 0; i < selector.length; i++) {
    const ch = selector[i]!;
    if (ch === '\\' && i + 1 < selector.length) {
      cur += ch + selector[++i];
      continue;
    }
    if (ch === ',') {
      terms.push(cur);
      cur = '';
    } else cur += ch;
  }
  terms.push(cur);
  for (const term of terms) {
    const m = /^([^=!\\]+)(==|=|!=)(.*)$/.exec(term.trim());
    if (!m || m[1]!.trim() === '')
      throw new UserError(
        `invalid field selector "${selector}": can't understand '${term}'`,
        'Use key=value or key!=value, comma-separated, e.g. --field-selector status.phase=Running,spec.nodeName=node-1',
        2,
      );
  }
}

/** Close names for "did you mean": shared prefix, substring, or a small edit distance. */
export function closeNames(wanted: string, names: readonly string[], max = 3): string[] {
  const scored = names
    .map((n) => ({ n, d: n.includes(wanted) || wanted.includes(n) ? 0 : editDistance(wanted, n) }))
    .filter((x) => x.d <= Math.max(2, Math.floor(wanted.length / 3)))
    .sort((a, b) => a.d - b.d || a.n.localeCompare(b.n));
  return scored.slice(0, max).map((x) => x.n);
}

function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j]!;
      prev[j] = Math.min(prev[j]! + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length]!;
}
