// Resolves cluster, user and namespace the way kubectl does (client-go's clientcmd loading rules
// and overrides, read in tools/clientcmd/{loader,client_config,overrides}.go):
// - --kubeconfig FILE: only that file, which must exist;
// - else KUBECONFIG, a list of files: missing files are skipped, the first file that sets a map key
//   (a cluster, user or context name) wins and later ones never change it, and current-context comes
//   from the first file that sets it;
// - else ~/.kube/config; else in-cluster (service account) when running in a pod;
// - --context overrides current-context; --cluster and --user override the context's; -n overrides
//   the context's namespace, else "default";
// - the connection flags (--server, --certificate-authority, --insecure-skip-tls-verify,
//   --tls-server-name, --token, --client-certificate, --client-key, --username, --password, --as,
//   --as-group, --as-uid) override the kubeconfig's values field by field, as kubectl merges them;
//   --server alone is enough: no kubeconfig is needed then.
// The kubeconfig is read here with kubectl's own field names (client-node's reader drops as-groups,
// as-uid, tokenFile, disable-compression and cluster extensions, and refuses a whole file for one
// cluster without a server), so kubectl and podlife see the same configuration.

import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, isAbsolute, join, resolve, sep } from 'node:path';
import { CORE_SCHEMA, load } from 'js-yaml';
import { UserError } from './errors.ts';
import { chooseProxy, type ProxyChoice } from './proxy.ts';

/** The kubectl global flags that shape the connection (undefined: not given). */
export interface ConnectionFlags {
  readonly cluster?: string | undefined;
  readonly user?: string | undefined;
  readonly server?: string | undefined;
  readonly certificateAuthority?: string | undefined;
  readonly insecureSkipTlsVerify?: boolean | undefined;
  readonly tlsServerName?: string | undefined;
  readonly clientCertificate?: string | undefined;
  readonly clientKey?: string | undefined;
  readonly token?: string | undefined;
  readonly username?: string | undefined;
  readonly password?: string | undefined;
  readonly as?: string | undefined;
  readonly asGroups?: readonly string[] | undefined;
  readonly asUid?: string | undefined;
  readonly disableCompression?: boolean | undefined;
}

export interface KubeconfigFlags extends ConnectionFlags {
  readonly kubeconfig: string | undefined;
  readonly context: string | undefined;
  readonly namespace: string | undefined;
  readonly env?: NodeJS.ProcessEnv;
  readonly home?: string;
}

export interface ExecConfig {
  readonly command: string;
  readonly args: readonly string[];
  readonly env: readonly { readonly name: string; readonly value: string }[];
  readonly apiVersion: string;
  readonly installHint: string | undefined;
  readonly provideClusterInfo: boolean;
  readonly interactiveMode: string | undefined;
}

export interface ClusterInfo {
  readonly name: string;
  readonly server: string;
  readonly certificateAuthority: string | undefined;
  readonly certificateAuthorityData: string | undefined; // base64, as in the file
  readonly insecureSkipTlsVerify: boolean;
  readonly tlsServerName: string | undefined;
  readonly proxyUrl: string | undefined;
  readonly disableCompression: boolean;
  /** extensions["client.authentication.k8s.io/exec"], handed to exec plugins that ask for cluster info. */
  readonly execExtension: unknown;
}

export interface AuthInfo {
  readonly name: string;
  readonly token: string | undefined;
  readonly tokenFile: string | undefined;
  readonly clientCertificate: string | undefined;
  readonly clientCertificateData: string | undefined; // base64
  readonly clientKey: string | undefined;
  readonly clientKeyData: string | undefined; // base64
  readonly username: string | undefined;
  readonly password: string | undefined;
  readonly as: string | undefined;
  readonly asUid: string | undefined;
  readonly asGroups: readonly string[];
  readonly asUserExtra: Readonly<Record<string, readonly string[]>>;
  readonly exec: ExecConfig | undefined;
  readonly authProvider: { readonly name: string; readonly config: Readonly<Record<string, string>> } | undefined;
}

export interface ResolvedConfig {
  /** The context used; "" when the connection comes from flags alone (--server without a kubeconfig). */
  readonly contextName: string;
  readonly namespace: string;
  readonly server: string;
  /** The kubeconfig user's name (for messages); "" when none. */
  readonly user: string;
  readonly cluster: ClusterInfo;
  readonly auth: AuthInfo;
  /** The proxy requests go through (the cluster's proxy-url, else HTTPS_PROXY etc. as kubectl reads them). */
  readonly proxy: ProxyChoice | undefined;
  /** The files read, in precedence order (for messages). */
  readonly files: readonly string[];
}

interface Kubeconfig {
  readonly clusters: Map<string, ClusterInfo>;
  readonly users: Map<string, AuthInfo>;
  readonly contexts: Map<string, { cluster: string; user: string; namespace: string | undefined }>;
  readonly currentContext: string;
}

const SA_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const record = (v: unknown): Record<string, unknown> =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
/** A relative path is relative to the file that names it (clientcmd.ResolvePaths). */
const pathIn = (dir: string, p: string | undefined): string | undefined => (p === undefined || isAbsolute(p) ? p : join(dir, p));

function readCluster(name: string, c: Record<string, unknown>, dir: string): ClusterInfo {
  const ext = list(c['extensions']).map(record);
  return {
    name,
    server: str(c['server']) ?? '',
    certificateAuthority: pathIn(dir, str(c['certificate-authority'])),
    certificateAuthorityData: str(c['certificate-authority-data']),
    insecureSkipTlsVerify: c['insecure-skip-tls-verify'] === true,
    tlsServerName: str(c['tls-server-name']),
    proxyUrl: str(c['proxy-url']),
    disableCompression: c['disable-compression'] === true,
    execExtension: ext.find((e) => e['name'] === 'client.authentication.k8s.io/exec')?.['extension'],
  };
}

function readUser(name: string, u: Record<string, unknown>, dir: string): AuthInfo {
  const exec = u['exec'] === undefined || u['exec'] === null ? undefined : record(u['exec']);
  const provider = u['auth-provider'] === undefined || u['auth-provider'] === null ? undefined : record(u['auth-provider']);
  const extra: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(record(u['as-user-extra']))) extra[k] = list(v).filter((x): x is string => typeof x === 'string');
  let execConfig: ExecConfig | undefined;
  if (exec) {
    const command = typeof exec['command'] === 'string' ? exec['command'] : '';
    execConfig = {
      // Only a command with a path separator is relative to the file; a bare name is looked up in PATH.
      command: command.includes(sep) ? (pathIn(dir, command) ?? command) : command,
      args: list(exec['args']).map(String),
      env: list(exec['env']).map((e) => ({ name: String(record(e)['name'] ?? ''), value: String(record(e)['value'] ?? '') })),
      apiVersion: typeof exec['apiVersion'] === 'string' ? exec['apiVersion'] : '',
      installHint: str(exec['installHint']),
      provideClusterInfo: exec['provideClusterInfo'] === true,
      interactiveMode: str(exec['interactiveMode']),
    };
  }
  return {
    name,
    token: str(u['token']),
    tokenFile: pathIn(dir, str(u['tokenFile'])),
    clientCertificate: pathIn(dir, str(u['client-certificate'])),
    clientCertificateData: str(u['client-certificate-data']),
    clientKey: pathIn(dir, str(u['client-key'])),
    clientKeyData: str(u['client-key-data']),
    username: str(u['username']),
    password: str(u['password']),
    as: str(u['as']),
    asUid: str(u['as-uid']),
    asGroups: list(u['as-groups']).filter((x): x is string => typeof x === 'string'),
    asUserExtra: extra,
    exec: execConfig,
    authProvider: provider
      ? {
          name: String(provider['name'] ?? ''),
          config: Object.fromEntries(Object.entries(record(provider['config'])).map(([k, v]) => [k, String(v)])),
        }
      : undefined,
  };
}

function loadFile(file: string): Kubeconfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new UserError(
      `cannot read kubeconfig ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`,
      'Check the path given by --kubeconfig or KUBECONFIG.',
    );
  }
  let doc: unknown;
  try {
    // js-yaml's core schema: the values of YAML 1.2's core schema, as the yaml library reads them,
    // at a fraction of the startup cost (~9 ms less CPU to the first screen, PODLIFE_PERF=1).
    // A key given twice: the last one counts, as kubectl reads it (`json: true`).
    // Aliases are not expanded (an alias is the same object), and only the fields named below are
    // read, so an alias bomb costs nothing.
    doc = load(text, { schema: CORE_SCHEMA, json: true });
  } catch (e) {
    const msg = e instanceof Error ? e.message.split('\n')[0] : String(e);
    throw new UserError(`kubeconfig ${file} is malformed: ${msg}`, 'Fix the file or point --kubeconfig at another one.');
  }
  if (doc !== null && doc !== undefined && (typeof doc !== 'object' || Array.isArray(doc)))
    throw new UserError(`kubeconfig ${file} is malformed: not a mapping`, 'Fix the file or point --kubeconfig at another one.');
  const top = record(doc);
  const dir = dirname(resolve(file));
  const clusters = new Map<string, ClusterInfo>();
  const users = new Map<string, AuthInfo>();
  const contexts = new Map<string, { cluster: string; user: string; namespace: string | undefined }>();
  // Within one file the first entry of a name is kept, as for names across files.
  for (const e of list(top['clusters']).map(record)) {
    const name = str(e['name']);
    if (name !== undefined && !clusters.has(name)) clusters.set(name, readCluster(name, record(e['cluster']), dir));
  }
  for (const e of list(top['users']).map(record)) {
    const name = str(e['name']);
    if (name !== undefined && !users.has(name)) users.set(name, readUser(name, record(e['user']), dir));
  }
  for (const e of list(top['contexts']).map(record)) {
    const name = str(e['name']);
    const c = record(e['context']);
    if (name !== undefined && !contexts.has(name))
      contexts.set(name, { cluster: str(c['cluster']) ?? '', user: str(c['user']) ?? '', namespace: str(c['namespace']) });
  }
  return { clusters, users, contexts, currentContext: str(top['current-context']) ?? '' };
}

/** Merge kubeconfig files with kubectl's precedence: the first file to set a key wins. */
function merge(configs: readonly Kubeconfig[]): Kubeconfig {
  const out: Kubeconfig = { clusters: new Map(), users: new Map(), contexts: new Map(), currentContext: '' };
  let current = '';
  for (const kc of configs) {
    for (const [k, v] of kc.clusters) if (!out.clusters.has(k)) out.clusters.set(k, v);
    for (const [k, v] of kc.users) if (!out.users.has(k)) out.users.set(k, v);
    for (const [k, v] of kc.contexts) if (!out.contexts.has(k)) out.contexts.set(k, v);
    if (current === '' && kc.currentContext) current = kc.currentContext;
  }
  return { ...out, currentContext: current };
}

export function kubeconfigFiles(flags: KubeconfigFlags): string[] {
  const env = flags.env ?? process.env;
  if (flags.kubeconfig !== undefined) {
    if (!existsSync(flags.kubeconfig)) {
      throw new UserError(`kubeconfig ${flags.kubeconfig} does not exist`, 'Check the --kubeconfig path.');
    }
    return [flags.kubeconfig];
  }
  const paths = env['KUBECONFIG'];
  if (paths !== undefined && paths !== '') {
    return paths.split(delimiter).filter((f) => f !== '' && existsSync(f));
  }
  const home = flags.home ?? env['HOME'] ?? homedir();
  const file = join(home, '.kube', 'config');
  return existsSync(file) ? [file] : [];
}

const emptyCluster = (name: string): ClusterInfo => ({
  name,
  server: '',
  certificateAuthority: undefined,
  certificateAuthorityData: undefined,
  insecureSkipTlsVerify: false,
  tlsServerName: undefined,
  proxyUrl: undefined,
  disableCompression: false,
  execExtension: undefined,
});

const emptyUser = (name: string): AuthInfo => ({
  name,
  token: undefined,
  tokenFile: undefined,
  clientCertificate: undefined,
  clientCertificateData: undefined,
  clientKey: undefined,
  clientKeyData: undefined,
  username: undefined,
  password: undefined,
  as: undefined,
  asUid: undefined,
  asGroups: [],
  asUserExtra: {},
  exec: undefined,
  authProvider: undefined,
});

/** In-cluster: the service account's token (re-read as it rotates), CA and the service address. */
function inCluster(env: NodeJS.ProcessEnv): Kubeconfig | undefined {
  const host = env['KUBERNETES_SERVICE_HOST'];
  const port = env['KUBERNETES_SERVICE_PORT'];
  if (!host || !port || !existsSync(join(SA_DIR, 'token'))) return undefined;
  const server = `https://${host.includes(':') ? `[${host}]` : host}:${port}`;
  return {
    clusters: new Map([['in-cluster', { ...emptyCluster('in-cluster'), server, certificateAuthority: join(SA_DIR, 'ca.crt') }]]),
    users: new Map([['in-cluster', { ...emptyUser('in-cluster'), tokenFile: join(SA_DIR, 'token') }]]),
    contexts: new Map([['in-cluster', { cluster: 'in-cluster', user: 'in-cluster', namespace: undefined }]]),
    currentContext: 'in-cluster',
  };
}

/** Field-by-field override: a flag that was given replaces the kubeconfig's value (mergo WithOverride). */
function pick<T>(flag: T | undefined, value: T): T {
  return flag === undefined || flag === '' ? value : flag;
}

export function resolveKubeconfig(flags: KubeconfigFlags): ResolvedConfig {
  const env = flags.env ?? process.env;
  const files = kubeconfigFiles(flags);
  let kc: Kubeconfig;
  if (files.length > 0) kc = merge(files.map(loadFile));
  else {
    const cluster = inCluster(env);
    if (cluster) kc = cluster;
    else if (flags.server) kc = { clusters: new Map(), users: new Map(), contexts: new Map(), currentContext: '' };
    else {
      const where = env['KUBECONFIG']
        ? `KUBECONFIG (${env['KUBECONFIG']}) names no existing file`
        : 'no ~/.kube/config and KUBECONFIG is not set';
      throw new UserError(
        `no kubeconfig found: ${where}`,
        'Pass --kubeconfig FILE or --server URL, set KUBECONFIG, or try `kubectl podlife -f pod.yaml` / `--demo` without a cluster.',
      );
    }
  }

  // The context: --context must exist; the current context may be missing or empty when the flags
  // say everything (--server), as kubectl allows.
  const contextName = flags.context ?? kc.currentContext;
  const context = kc.contexts.get(contextName);
  if (flags.context !== undefined && !context) {
    const known = [...kc.contexts.keys()];
    throw new UserError(
      `context "${contextName}" does not exist in the kubeconfig`,
      known.length ? `Known contexts: ${known.join(', ')}. Pick one with --context.` : 'The kubeconfig has no contexts.',
    );
  }
  if (!context && !flags.server && !flags.cluster) {
    if (!contextName)
      throw new UserError(
        'no current context is set in the kubeconfig',
        `Pass --context NAME (known: ${[...kc.contexts.keys()].join(', ') || 'none'}) or run \`kubectl config use-context NAME\`.`,
      );
    throw new UserError(
      `current context "${contextName}" does not exist in the kubeconfig`,
      `Pass --context NAME (known: ${[...kc.contexts.keys()].join(', ') || 'none'}) or run \`kubectl config use-context NAME\`.`,
    );
  }

  const clusterName = flags.cluster ?? context?.cluster ?? '';
  const userName = flags.user ?? context?.user ?? '';
  let cluster = kc.clusters.get(clusterName);
  if (!cluster && (flags.cluster !== undefined || (clusterName !== '' && !flags.server))) {
    throw new UserError(
      flags.cluster !== undefined
        ? `cluster "${clusterName}" does not exist in the kubeconfig`
        : `context "${contextName}" names cluster "${clusterName}", which is not in the kubeconfig`,
      `Known clusters: ${[...kc.clusters.keys()].join(', ') || 'none'}. Fix the kubeconfig (kubectl config view) or pass --cluster.`,
    );
  }
  cluster ??= emptyCluster(clusterName);
  let user = kc.users.get(userName);
  if (!user && userName !== '' && (flags.user !== undefined || !flags.server)) {
    throw new UserError(
      flags.user !== undefined
        ? `user "${userName}" does not exist in the kubeconfig`
        : `context "${contextName}" names user "${userName}", which is not in the kubeconfig`,
      `Known users: ${[...kc.users.keys()].join(', ') || 'none'}. Fix the kubeconfig (kubectl config view) or pass --user.`,
    );
  }
  user ??= emptyUser(userName);

  // Cluster overrides (client_config.go getCluster): --certificate-authority or
  // --insecure-skip-tls-verify replace the CA settings as a whole; --server clears tls-server-name
  // unless --tls-server-name is given too.
  const caOverride = flags.certificateAuthority !== undefined || flags.insecureSkipTlsVerify === true;
  cluster = {
    ...cluster,
    server: pick(flags.server, cluster.server),
    ...(caOverride
      ? {
          certificateAuthority: flags.certificateAuthority,
          certificateAuthorityData: undefined,
          insecureSkipTlsVerify: flags.insecureSkipTlsVerify === true,
        }
      : {}),
    tlsServerName: flags.tlsServerName !== undefined || flags.server !== undefined ? flags.tlsServerName : cluster.tlsServerName,
    disableCompression: flags.disableCompression === true || cluster.disableCompression,
  };
  const asGroups = flags.asGroups && flags.asGroups.length > 0 ? flags.asGroups : user.asGroups;
  user = {
    ...user,
    token: pick(flags.token, user.token),
    clientCertificate: pick(flags.clientCertificate, user.clientCertificate),
    clientKey: pick(flags.clientKey, user.clientKey),
    username: pick(flags.username, user.username),
    password: pick(flags.password, user.password),
    as: pick(flags.as, user.as),
    asUid: pick(flags.asUid, user.asUid),
    asGroups,
  };
  if (!user.as && (user.asGroups.length > 0 || user.asUid || Object.keys(user.asUserExtra).length > 0)) {
    // kubectl's words (client-go transport): groups or a UID need a user to impersonate.
    throw new UserError(
      `requesting uid, groups or user-extra for ${user.name || 'the user'} without impersonating a user`,
      'Add --as USER (--as-group and --as-uid refine it).',
      2,
    );
  }

  if (!cluster.server) {
    throw new UserError(
      `no server found for cluster "${cluster.name}"`,
      'Set its server in the kubeconfig, or pass --server https://HOST:PORT.',
    );
  }
  // A server without a scheme is https when any TLS setting is given, else http (restclient's
  // defaultServerUrlFor).
  const tls =
    !!(cluster.certificateAuthority || cluster.certificateAuthorityData || cluster.insecureSkipTlsVerify) ||
    !!(user.clientCertificate || user.clientCertificateData);
  cluster = { ...cluster, server: normaliseServer(cluster.server, tls) };
  checkServer(cluster.server, flags.server !== undefined);

  let namespace = flags.namespace ?? context?.namespace;
  if (!namespace && files.length === 0 && existsSync(join(SA_DIR, 'namespace'))) {
    namespace = readFileSync(join(SA_DIR, 'namespace'), 'utf8').trim();
  }
  return {
    contextName: context ? contextName : '',
    namespace: namespace || 'default',
    server: cluster.server,
    user: user.name,
    cluster,
    auth: user,
    proxy: chooseProxy(cluster.server, cluster.proxyUrl, env),
    files,
  };
}

/** kubectl accepts "host:port" and bare hosts as https; anything it cannot read as a URL is refused here. */
function checkServer(server: string, fromFlag: boolean): void {
  const code = fromFlag ? 2 : 1; // a bad --server is a usage error
  let u: URL;
  try {
    u = new URL(server);
  } catch {
    throw new UserError(`the server "${server}" is not a URL`, 'Use https://HOST:PORT (or http:// for a plain-HTTP server).', code);
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:')
    throw new UserError(
      `the server "${server}" has scheme ${u.protocol.replace(':', '')}`,
      'Use https://HOST:PORT or http://HOST:PORT.',
      code,
    );
}

/** A server without a scheme ("10.0.0.1:6443") gets https:// when TLS is configured, else http://. */
export function normaliseServer(server: string, tls: boolean): string {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(server) ? server : `${tls ? 'https' : 'http'}://${server}`;
}
