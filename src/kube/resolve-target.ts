// Resolves a parsed target against the API server: a workload becomes its pod selector.

import { ApiError, toUserError, type KubeClient } from './client.ts';
import { UserError } from './errors.ts';
import { WORKLOADS, type TargetSpec } from './target.ts';

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
  readonly matchExpressions?:
    readonly { readonly key: string; readonly operator: string; readonly values?: readonly string[] | null }[] | null;
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

/** One pod by name, or the pods of a selector: what to list and watch (no API call needed). */
export function podTarget(namespace: string, spec: Exclude<TargetSpec, { kind: 'workload' }>): ResolvedTarget {
  if (spec.kind === 'pod') {
    return {
      namespace,
      label: `pod/${spec.name}`,
      podName: spec.name,
      podQuery: { fieldSelector: `metadata.name=${spec.name}` },
      eventQuery: { fieldSelector: `involvedObject.kind=Pod,involvedObject.name=${spec.name}` },
    };
  }
  return selectorTarget(namespace, `-l ${spec.selector}`, spec.selector);
}

function selectorTarget(namespace: string, label: string, selector: string): ResolvedTarget {
  return {
    namespace,
    label,
    podName: undefined,
    podQuery: { labelSelector: selector },
    eventQuery: { fieldSelector: 'involvedObject.kind=Pod' },
  };
}

/**
 * Where a workload is read, and the shortest name its resource is known by (deploy, sts, ...) for
 * messages: both from the table the parser reads.
 */
export function workloadLocation(namespace: string, spec: Extract<TargetSpec, { kind: 'workload' }>): { path: string; short: string } {
  const aliases = Object.entries(WORKLOADS).filter(([, w]) => w.resource === spec.resource);
  const group = aliases[0]?.[1].group ?? 'apps/v1';
  const short = aliases.map(([name]) => name).sort((a, b) => a.length - b.length)[0] ?? spec.resource;
  return { path: `/apis/${group}/namespaces/${encodeURIComponent(namespace)}/${spec.resource}/${encodeURIComponent(spec.name)}`, short };
}

export async function resolveTarget(client: KubeClient, namespace: string, spec: TargetSpec): Promise<ResolvedTarget> {
  if (spec.kind !== 'workload') return podTarget(namespace, spec);
  const { path, short } = workloadLocation(namespace, spec);
  let obj: { spec?: { selector?: LabelSelectorJson } };
  try {
    obj = await client.getJson(path);
  } catch (e) {
    if (e instanceof ApiError && e.kind === 'not-found') {
      throw new UserError(
        `${short}/${spec.name} not found in namespace "${namespace}"`,
        `List them with: kubectl get ${spec.resource} -n ${namespace}`,
      );
    }
    throw toUserError(e, { verbs: 'get', resource: spec.resource, namespace });
  }
  const selector = selectorString(obj.spec?.selector);
  if (selector === '') throw new UserError(`${short}/${spec.name} has no pod selector`, 'Watch its pods by label with -l key=value.');
  return selectorTarget(namespace, `${short}/${spec.name}`, selector);
}
