// Resolves cluster, user and namespace the way kubectl does (client-go's clientcmd loading rules):
// - --kubeconfig FILE: only that file, which must exist;
// - else KUBECONFIG, a list of files: missing files are skipped, the first file that sets a map key
//   (a cluster, user or context name) wins and later ones never change it, and current-context comes
//   from the first file that sets it;
// - else ~/.kube/config; else in-cluster (service account) when running in a pod;
// - --context overrides current-context; -n overrides the context's namespace; else "default".
// client-node's own loadFromDefault lets later files override earlier ones and falls back to
// localhost:8080 silently, so the merge is done here and only parsing/auth is left to client-node.

import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
// From its own module, not the package index: the index loads every generated API client.
import { KubeConfig } from '@kubernetes/client-node/dist/config.js';
import { UserError } from './errors.ts';
import { chooseProxy, type ProxyChoice } from './proxy.ts';

export interface KubeconfigFlags {
  readonly kubeconfig: string | undefined;
  readonly context: string | undefined;
  readonly namespace: string | undefined;
  readonly env?: NodeJS.ProcessEnv;
  readonly home?: string;
}

export interface ResolvedConfig {
  readonly kc: KubeConfig;
  readonly contextName: string;
  readonly namespace: string;
  readonly server: string;
  readonly user: string;
  /** The proxy requests go through (the cluster's proxy-url, else HTTPS_PROXY etc. as kubectl reads them). */
  readonly proxy: ProxyChoice | undefined;
  /** The files read, in precedence order (for messages). */
  readonly files: readonly string[];
}

const SA_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

function loadFile(file: string): KubeConfig {
  const kc = new KubeConfig();
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new UserError(
      `cannot read kubeconfig ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`,
      'Check the path given by --kubeconfig or KUBECONFIG.',
    );
  }
  try {
    kc.loadFromString(text);
  } catch (e) {
    const msg = e instanceof Error ? e.message.split('\n')[0] : String(e);
    throw new UserError(`kubeconfig ${file} is malformed: ${msg}`, 'Fix the file or point --kubeconfig at another one.');
  }
  // Relative certificate/key/token paths are relative to the file that names them.
  (kc as unknown as { makePathsAbsolute(dir: string): void }).makePathsAbsolute(dirname(resolve(file)));
  return kc;
}

/** Merge kubeconfig files with kubectl's precedence: the first file to set a key wins. */
export function mergeKubeconfigs(configs: readonly KubeConfig[]): KubeConfig {
  const clusters = new Map<string, KubeConfig['clusters'][number]>();
  const users = new Map<string, KubeConfig['users'][number]>();
  const contexts = new Map<string, KubeConfig['contexts'][number]>();
  let currentContext = '';
  for (const kc of configs) {
    for (const c of kc.clusters) if (!clusters.has(c.name)) clusters.set(c.name, c);
    for (const u of kc.users) if (!users.has(u.name)) users.set(u.name, u);
    for (const c of kc.contexts) if (!contexts.has(c.name)) contexts.set(c.name, c);
    if (currentContext === '' && kc.currentContext) currentContext = kc.currentContext;
  }
  const merged = new KubeConfig();
  merged.loadFromOptions({
    clusters: [...clusters.values()],
    users: [...users.values()],
    contexts: [...contexts.values()],
    currentContext,
  });
  return merged;
}

export function kubeconfigFiles(flags: KubeconfigFlags): string[] {
  const env = flags.env ?? process.env;
  if (flags.kubeconfig !== undefined) {
    if (!existsSync(flags.kubeconfig)) {
      throw new UserError(`kubeconfig ${flags.kubeconfig} does not exist`, 'Check the --kubeconfig path.');
    }
    return [flags.kubeconfig];
  }
  const list = env['KUBECONFIG'];
  if (list !== undefined && list !== '') {
    return list.split(delimiter).filter((f) => f !== '' && existsSync(f));
  }
  const home = flags.home ?? env['HOME'] ?? homedir();
  const file = join(home, '.kube', 'config');
  return existsSync(file) ? [file] : [];
}

export function resolveKubeconfig(flags: KubeconfigFlags): ResolvedConfig {
  const env = flags.env ?? process.env;
  const files = kubeconfigFiles(flags);
  let kc: KubeConfig;
  if (files.length === 0) {
    if (env['KUBERNETES_SERVICE_HOST'] && existsSync(join(SA_DIR, 'token'))) {
      kc = new KubeConfig();
      kc.loadFromCluster();
    } else {
      const where = env['KUBECONFIG']
        ? `KUBECONFIG (${env['KUBECONFIG']}) names no existing file`
        : 'no ~/.kube/config and KUBECONFIG is not set';
      throw new UserError(
        `no kubeconfig found: ${where}`,
        'Pass --kubeconfig FILE, set KUBECONFIG, or try `kubectl podlife -f pod.yaml` / `--demo` without a cluster.',
      );
    }
  } else {
    kc = mergeKubeconfigs(files.map(loadFile));
  }

  const contextName = flags.context ?? kc.currentContext;
  if (!contextName) {
    throw new UserError(
      'no current context is set in the kubeconfig',
      `Pass --context NAME (known: ${kc.contexts.map((c) => c.name).join(', ') || 'none'}) or run \`kubectl config use-context NAME\`.`,
    );
  }
  const context = kc.contexts.find((c) => c.name === contextName);
  if (!context) {
    const known = kc.contexts.map((c) => c.name);
    throw new UserError(
      `context "${contextName}" does not exist in the kubeconfig`,
      known.length ? `Known contexts: ${known.join(', ')}. Pick one with --context.` : 'The kubeconfig has no contexts.',
    );
  }
  kc.setCurrentContext(contextName);
  const cluster = kc.getCurrentCluster();
  if (!cluster) {
    throw new UserError(
      `context "${contextName}" names cluster "${context.cluster}", which is not in the kubeconfig`,
      'Fix the kubeconfig (kubectl config view).',
    );
  }
  if (context.user && !kc.getCurrentUser()) {
    throw new UserError(
      `context "${contextName}" names user "${context.user}", which is not in the kubeconfig`,
      'Fix the kubeconfig (kubectl config view).',
    );
  }
  let namespace = flags.namespace ?? context.namespace;
  if (!namespace && files.length === 0 && existsSync(join(SA_DIR, 'namespace'))) {
    namespace = readFileSync(join(SA_DIR, 'namespace'), 'utf8').trim();
  }
  return {
    kc,
    contextName,
    namespace: namespace || 'default',
    server: cluster.server,
    user: context.user,
    proxy: chooseProxy(cluster.server, cluster.proxyUrl, env),
    files,
  };
}
