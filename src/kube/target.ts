// What to watch: "NAME", "pod/NAME", "po/NAME" (one pod, followed across recreations under the same
// name), "-l k=v" (a label selector), or a workload ("deploy/x", "sts/x", "ds/x", "rs/x", "job/x")
// resolved to its pod selector. Parsing is pure (cli.ts uses it); resolution asks the API server.

import { UserError } from './errors.ts';
import { ApiError, toUserError, type KubeClient } from './client.ts';

export type TargetSpec =
  | { readonly kind: 'pod'; readonly name: string }
  | { readonly kind: 'selector'; readonly selector: string }
  | { readonly kind: 'workload'; readonly resource: WorkloadResource; readonly name: string };

export type WorkloadResource = 'deployments' | 'statefulsets' | 'daemonsets' | 'replicasets' | 'jobs';

const WORKLOADS: Readonly<Record<string, { readonly resource: WorkloadResource; readonly group: string }>> = {
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
    if (arg !== undefined) throw new UserError(`give either a pod name or -l, not both (got "${arg}" and -l "${selector}")`, 'Example: kubectl podlife -l app=web');
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
    throw new UserError(`unsupported resource type "${type}" in "${arg}"`, 'Use pod/NAME, deploy/NAME, sts/NAME, ds/NAME, rs/NAME, job/NAME or -l key=value.');
  }
  return checkName({ kind: 'workload' as const, resource: w.resource, name }, arg);
}

function checkName<T extends { readonly name: string }>(t: T, arg: string): T {
  if (!DNS_SUBDOMAIN.test(t.name) || t.name.length > 253) {
    throw new UserError(`"${arg}" is not a valid name: names are lowercase letters, digits, "-" and "."`, 'Check the spelling (kubectl get pods lists the names).');
  }
  return t;
}

export interface ResolvedTarget {
  readonly namespace: string;
  /** "pod/web-0", "deploy/web", "-l app=web": how the target is shown. */
  readonly label: string;
  /** Set when one pod is watched by name. */
  readonly podName: string | undefined;
  readonly podQuery: Readonly<Record<string, string | undefined>>;
  readonly eventQuery: Readonly<Record<string, string | undefined>>;
}

interface LabelSelectorJson {
  readonly matchLabels?: Readonly<Record<string, string>> | null;
  readonly matchExpressions?: readonly { readonly key: string; readonly operator: string; readonly values?: readonly string[] | null }[] | null;
}

/** A metav1.LabelSelector as the selector string the API accepts. */
export function selectorString(sel: LabelSelectorJson | undefined | null): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(sel?.matchLabels ?? {})) parts.push(`${k}=${v}`);
  for (const e of sel?.matchExpressions ?? []) {
    const values = (e.values ?? []).join(',');
    if (e.operator === 'In') parts.push(`${e.key} in (${values})`);
    else if (e.operator === 'NotIn') parts.push(`${e.key} notin (${values})`);
    else if (e.operator === 'Exists') parts.push(e.key);
    else if (e.operator === 'DoesNotExist') parts.push(`!${e.key}`);
  }
  return parts.join(',');
}

export async function resolveTarget(client: KubeClient, namespace: string, spec: TargetSpec): Promise<ResolvedTarget> {
  const podEvents = { fieldSelector: 'involvedObject.kind=Pod' };
  if (spec.kind === 'pod') {
    return {
      namespace,
      label: `pod/${spec.name}`,
      podName: spec.name,
      podQuery: { fieldSelector: `metadata.name=${spec.name}` },
      eventQuery: { fieldSelector: `involvedObject.kind=Pod,involvedObject.name=${spec.name}` },
    };
  }
  if (spec.kind === 'selector') {
    return { namespace, label: `-l ${spec.selector}`, podName: undefined, podQuery: { labelSelector: spec.selector }, eventQuery: podEvents };
  }
  const group = Object.values(WORKLOADS).find((w) => w.resource === spec.resource)?.group ?? 'apps/v1';
  const short = spec.resource === 'deployments' ? 'deploy' : spec.resource === 'statefulsets' ? 'sts' : spec.resource === 'daemonsets' ? 'ds' : spec.resource === 'replicasets' ? 'rs' : 'job';
  let obj: { spec?: { selector?: LabelSelectorJson } };
  try {
    obj = await client.getJson(`/apis/${group}/namespaces/${encodeURIComponent(namespace)}/${spec.resource}/${encodeURIComponent(spec.name)}`);
  } catch (e) {
    if (e instanceof ApiError && e.kind === 'not-found') {
      throw new UserError(`${short}/${spec.name} not found in namespace "${namespace}"`, `List them with: kubectl get ${spec.resource} -n ${namespace}`);
    }
    throw toUserError(e, { verbs: 'get', resource: spec.resource, namespace });
  }
  const selector = selectorString(obj.spec?.selector);
  if (selector === '') throw new UserError(`${short}/${spec.name} has no pod selector`, 'Watch its pods by label with -l key=value.');
  return { namespace, label: `${short}/${spec.name}`, podName: undefined, podQuery: { labelSelector: selector }, eventQuery: podEvents };
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
