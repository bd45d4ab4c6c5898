// kubectl's global flags, exactly as `kubectl options` (1.32) lists them, with kubectl's meaning.
// kubectl hands a plugin its arguments verbatim and refuses flags placed before the plugin's name
// (`kubectl --context x podlife` is an error), so a user's only place for them is after `podlife`.
// Flags that shape the connection are read in kubeconfig.ts / credentials.ts; the few that have no
// meaning for podlife (profiling, log flushing, the discovery cache) are accepted and say so.
// Cheap to load: cli.ts reads it before anything else.

import type { Command } from 'commander';
import { UserError } from './errors.ts';
import type { ConnectionFlags } from './kubeconfig.ts';

export interface GlobalFlags extends ConnectionFlags {
  readonly kubeconfig: string | undefined;
  readonly context: string | undefined;
  readonly namespace: string | undefined;
  /** --request-timeout in ms; undefined = none. */
  readonly requestTimeoutMs: number | undefined;
  /** -v / --v: 0 = quiet. */
  readonly verbosity: number;
  readonly warningsAsErrors: boolean;
}

const collect = (v: string, prev: string[] | undefined): string[] => [...(prev ?? []), v];

/** The boolean kubectl flags (pflag accepts --flag=true|false for them). */
export const KUBECTL_BOOLEAN_FLAGS = [
  '--insecure-skip-tls-verify',
  '--disable-compression',
  '--match-server-version',
  '--warnings-as-errors',
];

/**
 * Adds the global flags to the program. -n and --context / --kubeconfig are listed with podlife's
 * own options (they are the ones people use); the rest under their own heading in --help.
 */
export function addGlobalFlags(program: Command): void {
  program.optionsGroup('kubectl global flags (as `kubectl options` lists them):');
  program
    .option('--as <user>', 'username to impersonate for the operation (a user, or a service account: system:serviceaccount:NS:NAME)')
    .option('--as-group <group>', 'group to impersonate; repeat for several groups', collect)
    .option('--as-uid <uid>', 'UID to impersonate')
    .option('--cache-dir <dir>', 'accepted; podlife keeps no discovery cache')
    .option('--certificate-authority <file>', 'path to a cert file for the certificate authority')
    .option('--client-certificate <file>', 'path to a client certificate file for TLS')
    .option('--client-key <file>', 'path to a client key file for TLS')
    .option('--cluster <name>', 'the name of the kubeconfig cluster to use')
    .option('--disable-compression', 'opt out of response compression for all requests to the server')
    .option('--insecure-skip-tls-verify', "do not check the server's certificate (insecure)")
    .option('--log-flush-frequency <duration>', 'accepted; podlife writes its trace lines at once')
    .option('--match-server-version', 'accepted; podlife is not tied to a server version')
    .option('--password <password>', 'password for basic authentication to the API server')
    .option('--profile <name>', 'accepted; podlife writes no profiles (none|cpu|heap|goroutine|threadcreate|block|mutex)')
    .option('--profile-output <file>', 'accepted; podlife writes no profiles')
    .option('-s, --server <url>', 'the address and port of the Kubernetes API server (no kubeconfig needed then)')
    .option('--tls-server-name <name>', 'server name to use for server certificate validation')
    .option('--token <token>', 'bearer token for authentication to the API server')
    .option('--user <name>', 'the name of the kubeconfig user to use')
    .option('--username <name>', 'username for basic authentication to the API server')
    .option(
      '-v, --v <level>',
      'log level verbosity: 6 traces every API request (method, URL, status, time), 7 adds request headers, 8 response headers and bodies; credentials masked; to stderr',
    )
    .option('--vmodule <pattern=N,...>', 'accepted; podlife has one module')
    .option('--warnings-as-errors', 'treat warnings received from the server as errors (exit 1)');
  program.optionsGroup('');
}

interface Raw {
  readonly namespace?: string;
  readonly context?: string;
  readonly kubeconfig?: string;
  readonly requestTimeout: string;
  readonly as?: string;
  readonly asGroup?: string[];
  readonly asUid?: string;
  readonly certificateAuthority?: string;
  readonly clientCertificate?: string;
  readonly clientKey?: string;
  readonly cluster?: string;
  readonly disableCompression?: boolean;
  readonly insecureSkipTlsVerify?: boolean;
  readonly password?: string;
  readonly server?: string;
  readonly tlsServerName?: string;
  readonly token?: string;
  readonly user?: string;
  readonly username?: string;
  readonly v?: string;
  readonly warningsAsErrors?: boolean;
}

/** The global flags from commander's parsed options, validated (usage errors exit 2). */
export function readGlobalFlags(raw: Raw): GlobalFlags {
  let verbosity = 0;
  if (raw.v !== undefined) {
    verbosity = Number(raw.v);
    if (!/^\d+$/.test(raw.v.trim()) || !Number.isSafeInteger(verbosity))
      throw new UserError(
        `invalid argument "${raw.v}" for "-v, --v"`,
        'Use a whole number, e.g. -v=6 (requests) or -v=8 (with bodies).',
        2,
      );
  }
  if (raw.server !== undefined && raw.server.trim() === '')
    throw new UserError('--server needs an address', 'Example: --server https://127.0.0.1:6443', 2);
  return {
    kubeconfig: raw.kubeconfig,
    context: raw.context,
    namespace: raw.namespace,
    requestTimeoutMs: parseRequestTimeout(raw.requestTimeout),
    verbosity,
    warningsAsErrors: raw.warningsAsErrors === true,
    cluster: raw.cluster,
    user: raw.user,
    server: raw.server,
    certificateAuthority: raw.certificateAuthority,
    insecureSkipTlsVerify: raw.insecureSkipTlsVerify,
    tlsServerName: raw.tlsServerName,
    clientCertificate: raw.clientCertificate,
    clientKey: raw.clientKey,
    token: raw.token,
    username: raw.username,
    password: raw.password,
    as: raw.as,
    asGroups: raw.asGroup,
    asUid: raw.asUid,
    disableCompression: raw.disableCompression,
  };
}

/** kubectl's --request-timeout: "0" (none), a bare number of seconds, or 1h2m3s-style durations. */
export function parseRequestTimeout(value: string): number | undefined {
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) === 0 ? undefined : Number(v) * 1000;
  const m = /^(?:(\d+)h)?(?:(\d+)m(?!s))?(?:(\d+(?:\.\d+)?)s)?(?:(\d+)ms)?$/.exec(v);
  if (!m || v === '') throw new UserError(`invalid --request-timeout "${value}"`, 'Use a duration like 30s, 1m or 0 (no timeout).', 2);
  const ms = (Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0)) * 1000 + Number(m[4] ?? 0);
  return ms === 0 ? undefined : ms;
}

const TRUE = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
const FALSE = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False']);

/**
 * pflag's forms that commander does not read, rewritten before parsing: `--bool=true|false` (any
 * of Go's strconv.ParseBool spellings) for boolean flags, and `-x=value` for short flags that take
 * a value. `--` ends the rewriting.
 */
export function pflagArgv(
  argv: readonly string[],
  o: {
    readonly booleans: readonly string[];
    readonly shortWithValue: readonly string[];
    readonly negations?: Readonly<Record<string, string>>;
  },
): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      out.push(...argv.slice(i));
      break;
    }
    const eq = a.indexOf('=');
    if ((a.startsWith('--') || /^-[a-zA-Z]=/.test(a)) && eq > 0) {
      const name = a.slice(0, eq);
      if (o.booleans.includes(name)) {
        const value = a.slice(eq + 1);
        if (TRUE.has(value)) out.push(name);
        else if (FALSE.has(value)) {
          const neg = o.negations?.[name];
          if (neg) out.push(neg);
        } else throw new UserError(`invalid argument "${value}" for "${name}" flag: use true or false`, 'See kubectl podlife --help.', 2);
        continue;
      }
    }
    if (/^-[a-zA-Z]=/.test(a) && o.shortWithValue.includes(a.slice(0, 2))) {
      out.push(a.slice(0, 2), a.slice(3));
      continue;
    }
    out.push(a);
  }
  return out;
}
