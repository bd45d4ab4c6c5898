// Shell completion through kubectl: kubectl >= 1.26 runs `kubectl_complete-podlife ARGS... WORD`
// for `kubectl podlife ARGS... WORD<TAB>` (k8s.io/kubectl pkg/cmd/plugin/plugin_completion.go), and
// that shim runs `kubectl-podlife __complete ARGS... WORD`. The answer is cobra's protocol: one
// candidate a line (optionally "candidate<TAB>description"), then ":<directive>" as the last line.
//
// Flags and their value kinds come from the commander program itself (cli.ts), so a new flag is
// completed without a change here. Names that need the cluster cost one list call with a short
// timeout; contexts, clusters and users come from the kubeconfig files without any call.

import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import type { Option } from 'commander';
import { parse as parseYaml } from 'yaml';
import { createProgram } from './cli.ts';
import { DEMOS } from './demo/catalog.ts';
import { workloadOf } from './kube/target.ts';

/** cobra's ShellCompDirective bits. */
export const Directive = { Default: 0, Error: 1, NoSpace: 2, NoFileComp: 4 } as const;

export interface Completion {
  readonly candidates: readonly string[];
  readonly directive: number;
}

/** Lists what the cluster has; the real one is made by `clusterLister`, tests may pass their own. */
export interface Lister {
  /** Names of `resource` (pods, namespaces, deployments, ...) in `namespace` (ignored for namespaces). */
  names(resource: string, namespace: string | undefined): Promise<readonly string[]>;
}

interface CompletionIo {
  readonly argv: readonly string[];
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  readonly env: NodeJS.ProcessEnv;
  readonly version: string;
}

/** `kubectl-podlife __complete ARGS... WORD`: prints the candidates and the directive; exit 0. */
export async function complete(io: CompletionIo): Promise<number> {
  const args = io.argv.slice(1);
  let result: Completion;
  try {
    result = await completeArgs(args, io.env, (flags) => clusterLister(flags, io.env));
  } catch (e) {
    if (io.env['PODLIFE_DEBUG'] === '1') io.stderr.write(`podlife completion: ${e instanceof Error ? e.message : String(e)}\n`);
    result = { candidates: [], directive: Directive.Error };
  }
  io.stdout.write(result.candidates.map((c) => c + '\n').join('') + `:${result.directive}\n`);
  return 0;
}

/** The flags given before the word being completed that decide where names come from. */
export interface ClusterFlags {
  readonly kubeconfig: string | undefined;
  readonly context: string | undefined;
  readonly namespace: string | undefined;
  readonly requestTimeout: string | undefined;
}

const TYPE_PREFIXES = ['pod/', 'deploy/', 'sts/', 'ds/', 'rs/', 'job/', 'cronjob/'];
const FILE_VALUES = new Set(['filename', 'kubeconfig', 'record', 'replay', 'export']);

/** The completion of the last word of `args` (the word being typed; '' for a new word). Pure but for `lister`. */
export async function completeArgs(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  makeLister: (flags: ClusterFlags) => Lister,
): Promise<Completion> {
  const word = args.at(-1) ?? '';
  const before = args.slice(0, -1);
  const program = createProgram({ version: '' }, () => undefined);
  const options = program.options as readonly Option[];
  const byName = (token: string): Option | undefined => options.find((o) => o.long === token || o.short === token);
  const takesValue = (o: Option): boolean => o.required || o.optional;

  // Read the words before: flag values (to know the namespace, context, kubeconfig) and positionals.
  const values = new Map<string, string>();
  const positionals: string[] = [];
  let pending: Option | undefined;
  for (const token of before) {
    if (pending) {
      values.set(pending.attributeName(), token);
      pending = undefined;
      continue;
    }
    if (token === '--') continue;
    if (token.startsWith('--') && token.includes('=')) {
      const o = byName(token.slice(0, token.indexOf('=')));
      if (o) values.set(o.attributeName(), token.slice(token.indexOf('=') + 1));
      continue;
    }
    if (token.startsWith('-') && token.length > 1) {
      const o = byName(token) ?? byName(token.slice(0, 2));
      if (o && takesValue(o)) {
        if (token.length > 2 && !token.startsWith('--'))
          values.set(o.attributeName(), token.slice(2)); // -nshop
        else pending = o;
      }
      continue;
    }
    positionals.push(token);
  }
  const flags: ClusterFlags = {
    kubeconfig: values.get('kubeconfig'),
    context: values.get('context'),
    namespace: values.get('namespace'),
    requestTimeout: values.get('requestTimeout'),
  };

  // The value of a flag: after `-n `, or in `--namespace=x`.
  let valueOf = pending;
  let prefix = '';
  let typed = word;
  if (!valueOf && word.startsWith('--') && word.includes('=')) {
    valueOf = byName(word.slice(0, word.indexOf('=')));
    prefix = word.slice(0, word.indexOf('=') + 1);
    typed = word.slice(prefix.length);
  }
  if (valueOf) {
    const name = valueOf.attributeName();
    let candidates: readonly string[] = [];
    if (valueOf.argChoices) candidates = valueOf.argChoices;
    else if (name === 'namespace') candidates = await makeLister(flags).names('namespaces', undefined);
    else if (name === 'context') candidates = kubeconfigNames(flags, env, 'contexts');
    else if (name === 'cluster') candidates = kubeconfigNames(flags, env, 'clusters');
    else if (name === 'user') candidates = kubeconfigNames(flags, env, 'users');
    else if (FILE_VALUES.has(name)) return { candidates: [], directive: Directive.Default }; // the shell completes file names
    return { candidates: matching(candidates, typed).map((c) => prefix + c), directive: Directive.NoFileComp };
  }

  if (word.startsWith('-')) {
    const demo = positionals[0] === 'demo' || values.has('demo');
    const out: string[] = [];
    for (const o of options) {
      if (o.hidden && !(demo && o.long === '--list')) continue;
      const description = (o.description ?? '').split(/[;(]/)[0]!.trim();
      for (const f of [o.long, o.short])
        if (f && f.startsWith(word) && (f.startsWith('--') || word.length <= 2)) out.push(`${f}\t${description}`);
    }
    if ('--help'.startsWith(word)) out.push('--help\tshow this help');
    return { candidates: [...new Set(out)], directive: Directive.NoFileComp };
  }

  // Positionals: `demo NAME`, else one target.
  if (positionals[0] === 'demo' || values.has('demo')) {
    if (positionals.length > (positionals[0] === 'demo' ? 1 : 0)) return { candidates: [], directive: Directive.NoFileComp };
    return {
      candidates: DEMOS.filter((d) => d.name.startsWith(word)).map((d) => `${d.name}\t${d.summary}`),
      directive: Directive.NoFileComp,
    };
  }
  if (positionals.length > 0 || values.has('selector') || values.has('filename') || values.has('replay'))
    return { candidates: [], directive: Directive.NoFileComp };

  const slash = word.indexOf('/');
  if (slash >= 0) {
    const type = word.slice(0, slash);
    const lower = type.toLowerCase();
    const resource = lower === 'pod' || lower === 'po' || lower === 'pods' ? 'pods' : workloadOf(lower)?.resource;
    if (!resource) return { candidates: [], directive: Directive.NoFileComp };
    const names = await makeLister(flags).names(resource, flags.namespace);
    return { candidates: matching(names, word.slice(slash + 1)).map((n) => `${type}/${n}`), directive: Directive.NoFileComp };
  }
  const pods = matching(await makeLister(flags).names('pods', flags.namespace), word);
  const types = TYPE_PREFIXES.filter((t) => word !== '' && t.startsWith(word));
  const commands = before.length === 0 && 'demo'.startsWith(word) && word !== '' ? ['demo'] : [];
  const candidates = [...pods, ...types, ...commands];
  // Only TYPE/ prefixes left: no space after them, the next <TAB> completes the names.
  const directive =
    candidates.length > 0 && candidates.every((c) => c.endsWith('/')) ? Directive.NoSpace | Directive.NoFileComp : Directive.NoFileComp;
  return { candidates, directive };
}

function matching(names: readonly string[], typed: string): string[] {
  return names.filter((n) => n.startsWith(typed));
}

/** Context, cluster or user names of the kubeconfig files, as kubectl picks the files. */
export function kubeconfigNames(flags: ClusterFlags, env: NodeJS.ProcessEnv, list: 'contexts' | 'clusters' | 'users'): string[] {
  let files: string[];
  if (flags.kubeconfig !== undefined) files = [flags.kubeconfig];
  else if (env['KUBECONFIG']) files = env['KUBECONFIG'].split(delimiter).filter((f) => f !== '');
  else files = [join(env['HOME'] ?? homedir(), '.kube', 'config')];
  const names = new Set<string>();
  for (const file of files) {
    if (!existsSync(file)) continue;
    try {
      const doc = parseYaml(readFileSync(file, 'utf8')) as Record<string, unknown> | null;
      const items = doc?.[list];
      if (Array.isArray(items)) for (const i of items) if (i && typeof i.name === 'string') names.add(i.name);
    } catch {
      // an unreadable file completes nothing, as kubectl's own completion
    }
  }
  return [...names].sort();
}

const API_GROUP: Record<string, string> = {
  pods: '/api/v1',
  namespaces: '/api/v1',
  deployments: '/apis/apps/v1',
  statefulsets: '/apis/apps/v1',
  daemonsets: '/apis/apps/v1',
  replicasets: '/apis/apps/v1',
  jobs: '/apis/batch/v1',
  cronjobs: '/apis/batch/v1',
};

/** One list call per completion, metadata only, bounded by --request-timeout or 5 s. */
export function clusterLister(flags: ClusterFlags, env: NodeJS.ProcessEnv): Lister {
  return {
    async names(resource, namespace) {
      const [{ resolveKubeconfig }, { KubeClient }, { parseRequestTimeout }] = await Promise.all([
        import('./kube/kubeconfig.ts'),
        import('./kube/client.ts'),
        import('./cli.ts'),
      ]);
      const config = resolveKubeconfig({ kubeconfig: flags.kubeconfig, context: flags.context, namespace, env });
      const timeoutMs = (flags.requestTimeout !== undefined ? parseRequestTimeout(flags.requestTimeout) : undefined) ?? 5_000;
      const client = new KubeClient(config, timeoutMs);
      try {
        const base = API_GROUP[resource] ?? '/api/v1';
        const path =
          resource === 'namespaces' ? `${base}/namespaces` : `${base}/namespaces/${encodeURIComponent(config.namespace)}/${resource}`;
        const res = await client.request(path, {
          query: { limit: 1000 },
          accept: 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json',
        });
        const body = (await res.json()) as { items?: { metadata?: { name?: string } }[] };
        return (body.items ?? []).flatMap((i) => (typeof i.metadata?.name === 'string' ? [i.metadata.name] : [])).sort();
      } finally {
        client.close();
      }
    },
  };
}
