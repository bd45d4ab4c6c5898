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
    return {
      namespace,
      label: `-l ${spec.selector}`,
      podName: undefined,
      podQuery: { labelSelector: spec.selector },
      eventQuery: podEvents,
    };
  }
  // The names the resource is known by (deploy, deployment, deployments): the group, and the
  // shortest one for messages, come from the same table the parser reads.
  const aliases = Object.entries(WORKLOADS).filter(([, w]) => w.resource === spec.resource);
  const group = aliases[0]?.[1].group ?? 'apps/v1';
  const short = aliases.map(([name]) => name).sort((a, b) => a.length - b.length)[0] ?? spec.resource;
  let obj: { spec?: { selector?: LabelSelectorJson } };
  try {
    obj = await client.getJson(
      `/apis/${group}/namespaces/${encodeURIComponent(namespace)}/${spec.resource}/${encodeURIComponent(spec.name)}`,
    );
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
  return { namespace, label: `${short}/${spec.name}`, podName: undefined, podQuery: { labelSelector: selector }, eventQuery: podEvents };
}
