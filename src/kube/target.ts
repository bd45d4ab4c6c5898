// What to watch: "NAME", "pod/NAME", "po/NAME" (one pod, followed across recreations under the same
// name), "-l k=v" (a label selector), or a workload ("deploy/x", "sts/x", "ds/x", "rs/x", "job/x")
// resolved to its pod selector. Parsing is pure and cheap to load (cli.ts uses it before anything
// else); resolution asks the API server (resolve-target.ts, loaded with the cluster client).

import { UserError } from './errors.ts';

export type TargetSpec =
  | { readonly kind: 'pod'; readonly name: string }
  | { readonly kind: 'selector'; readonly selector: string }
  | { readonly kind: 'workload'; readonly resource: WorkloadResource; readonly name: string };

export type WorkloadResource = 'deployments' | 'statefulsets' | 'daemonsets' | 'replicasets' | 'jobs';

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
};

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

export function parseTarget(arg: string | undefined, selector: string | undefined): TargetSpec {
  if (selector !== undefined) {
    if (arg !== undefined)
      throw new UserError(
        `give either a pod name or -l, not both (got "${arg}" and -l "${selector}")`,
        'Example: kubectl podlife -l app=web',
      );
    if (selector.trim() === '') throw new UserError('-l needs a label selector', 'Example: kubectl podlife -l app=web');
    return { kind: 'selector', selector };
  }
  if (arg === undefined || arg === '') {
    throw new UserError('no pod given', 'Usage: kubectl podlife POD | pod/POD | deploy/NAME | -l key=value (see --help)');
  }
  const slash = arg.indexOf('/');
  if (slash < 0) return checkName({ kind: 'pod' as const, name: arg }, arg);
  const type = arg.slice(0, slash).toLowerCase();
  const name = arg.slice(slash + 1);
  if (type === 'pod' || type === 'po' || type === 'pods') return checkName({ kind: 'pod' as const, name }, arg);
  const w = WORKLOADS[type];
  if (!w) {
    throw new UserError(
      `unsupported resource type "${type}" in "${arg}"`,
      'Use pod/NAME, deploy/NAME, sts/NAME, ds/NAME, rs/NAME, job/NAME or -l key=value.',
    );
  }
  return checkName({ kind: 'workload' as const, resource: w.resource, name }, arg);
}

function checkName<T extends { readonly name: string }>(t: T, arg: string): T {
  if (!DNS_SUBDOMAIN.test(t.name) || t.name.length > 253) {
    throw new UserError(
      `"${arg}" is not a valid name: names are lowercase letters, digits, "-" and "."`,
      'Check the spelling (kubectl get pods lists the names).',
    );
  }
  return t;
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
