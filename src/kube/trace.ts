// -v / --v=N: kubectl's verbosity, for podlife's own requests. Levels as kubectl uses them
// (client-go transport/round_trippers.go, rest/request.go):
//   6  the kubeconfig files read; one line per request: method, URL, status, time
//   7  + request headers (Authorization masked as kubectl masks it: "Bearer <masked>")
//   8  + response headers and bodies (truncated at 1024 characters; 10240 at 9; whole at 10)
// Watch streams are traced when they open, not event by event. Lines go to stderr, klog-style.

export interface Tracer {
  readonly level: number;
  line(level: number, message: string): void;
}

export function createTracer(level: number, write: (s: string) => void, now: () => Date = () => new Date()): Tracer | undefined {
  if (level <= 0) return undefined;
  const pid = String(process.pid).padStart(7);
  const two = (n: number): string => String(n).padStart(2, '0');
  return {
    level,
    line(l, message) {
      if (l > level) return;
      const d = now();
      const stamp = `${two(d.getMonth() + 1)}${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}.${String(d.getMilliseconds() * 1000).padStart(6, '0')}`;
      write(`I${stamp} ${pid} podlife] ${message}\n`);
    },
  };
}

const KNOWN_AUTH_TYPES = new Set(['bearer', 'basic', 'negotiate']);

/** client-go's maskValue: the credential part of an Authorization header becomes "<masked>". */
export function maskValue(key: string, value: string): string {
  const k = key.toLowerCase();
  if (k === 'cookie' || k === 'set-cookie' || k === 'proxy-authorization') return '<masked>';
  if (k !== 'authorization') return value;
  if (value === '') return '';
  const i = value.indexOf(' ');
  const type = i > 0 ? value.slice(0, i) : value;
  if (!KNOWN_AUTH_TYPES.has(type.toLowerCase())) return '<masked>';
  return value.length > type.length + 1 ? `${type} <masked>` : type;
}

/** Headers with every value masked where it carries a credential, keys sorted. */
export function maskHeaders(headers: Readonly<Record<string, string | readonly string[] | undefined>>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const key of Object.keys(headers).sort()) {
    const v = headers[key];
    if (v === undefined) continue;
    out[key] = (typeof v === 'string' ? [v] : [...v]).map((x) => maskValue(key, x));
  }
  return out;
}
