// Resolves a parsed target against the API server: a workload becomes its pod selector; -A and
// --field-selector (the Scope) become the collection path and the query of the pods and events.

import { ApiError, toUserError, type KubeClient } from './client.ts';
import { UserError } from './errors.ts';
import { NO_SCOPE, WORKLOADS, type Scope, type TargetSpec } from './target.ts';

export interface ResolvedTarget {
  /** undefined: every namespace (-A). */
  readonly namespace: string | undefined;
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

/** The path of a core/v1 collection in one namespace, or across all of them. */
export function collectionPath(resource: 'pods' | 'events', namespace: string | undefined): string {
  return namespace === undefined ? `/api/v1/${resource}` : `/api/v1/namespaces/${encodeURIComponent(namespace)}/${resource}`;
}

/** Field selectors as one (the API server ANDs the terms); undefined when there is none. */
function andFields(...parts: (string | undefined)[]): string | undefined {
  const terms = parts.filter((p): p is string => p !== undefined && p.trim() !== '').map((p) => p.trim());
  return terms.length ? terms.join(',') : undefined;
}

const scopeLabel = (scope: Scope): string =>
  `${scope.allNamespaces ? ' -A' : ''}${scope.fieldSelector?.trim() ? ` --field-selector ${scope.fieldSelector.trim()}` : ''}`;

/** One pod by name, the pods of a selector, or every pod (-A, --field-selector): what to list and watch (no API call needed). */
export function podTarget(namespace: string, spec: Exclude<TargetSpec, { kind: 'workload' }>, scope: Scope = NO_SCOPE): ResolvedTarget {
  const ns = scope.allNamespaces ? undefined : namespace;
  if (spec.kind === 'pod') {
    return {
      namespace: ns,
      label: `pod/${spec.name}${scopeLabel(scope)}`,
      podName: spec.name,
      podQuery: { fieldSelector: andFields(`metadata.name=${spec.name}`, scope.fieldSelector) },
      eventQuery: { fieldSelector: `involvedObject.kind=Pod,involvedObject.name=${spec.name}` },
    };
  }
  if (spec.kind === 'all') return selectorTarget(ns, scopeLabel(scope).trim(), undefined, scope);
  return selectorTarget(ns, `-l ${spec.selector}${scopeLabel(scope)}`, spec.selector, scope);
}

function selectorTarget(namespace: string | undefined, label: string, selector: string | undefined, scope: Scope): ResolvedTarget {
  const fields = andFields(scope.fieldSelector);
  return {
    namespace,
    label,
    podName: undefined,
    podQuery: {
      ...(selector !== undefined ? { labelSelector: selector } : {}),
      ...(fields !== undefined ? { fieldSelector: fields } : {}),
    },
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

/** How the target is shown (what resolveTarget() labels it), before asking the API server anything. */
export function targetLabel(spec: TargetSpec, scope: Scope = NO_SCOPE): string {
  if (spec.kind !== 'workload') return podTarget('', spec, scope).label;
  return `${workloadLocation('', spec).short}/${spec.name}${scopeLabel(scope)}`;
}

export async function resolveTarget(
  client: KubeClient,
  namespace: string,
  spec: TargetSpec,
  scope: Scope = NO_SCOPE,
): Promise<ResolvedTarget> {
  if (spec.kind !== 'workload') return podTarget(namespace, spec, scope);
  // (A workload has one namespace: the parser refuses -A with a name.)
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
  return selectorTarget(namespace, targetLabel(spec, scope), selector, scope);
}
