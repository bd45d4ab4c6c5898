// Time helpers for the model: RFC 3339 parsing, Go-duration parsing, and kubectl's human
// durations. Pure; "now" is always an argument.

/** RFC 3339 (as the API server writes it) to epoch ms; undefined for null, empty or unparsable. */
export function parseTime(s: string | null | undefined): number | undefined {
  if (!s) return undefined;
  const t = Date.parse(s);
  // Go's zero time (0001-01-01) and the Unix epoch (runtimes report 0 for "never started") are unknown.
  return Number.isNaN(t) || t <= 0 ? undefined : t;
}

/** Go's time.Duration text ("40s", "1m20s", "5m0s", "2h0m0s", "1.5s", "300ms") to seconds. */
export function parseGoDuration(s: string): number | undefined {
  const re = /(\d+(?:\.\d+)?)(h|m(?!s)|s|ms|us|µs|ns)/gy;
  let total = 0;
  let matched = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(s)) !== null) {
    const v = Number(m[1]);
    const unit = m[2];
    total +=
      unit === 'h' ? v * 3600 : unit === 'm' ? v * 60 : unit === 's' ? v : unit === 'ms' ? v / 1e3 : unit === 'ns' ? v / 1e9 : v / 1e6;
    matched = re.lastIndex;
  }
  return matched === s.length && matched > 0 ? total : undefined;
}

/** Seconds as Go prints a time.Duration of whole seconds: 10s, 1m20s, 5m0s, 1h0m0s. */
export function formatGoDuration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const r = s % 60;
  return h > 0 ? `${h}h${m}m${r}s` : `${m}m${r}s`;
}

/** k8s.io/apimachinery/pkg/util/duration.HumanDuration, as kubectl prints AGE and "(5m ago)". */
export function humanDuration(ms: number): string {
  const seconds = Math.trunc(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.trunc(seconds / 60);
  if (minutes < 10) {
    const r = seconds % 60;
    return r === 0 ? `${minutes}m` : `${minutes}m${r}s`;
  }
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.trunc(seconds / 3600);
  if (hours < 8) {
    const r = minutes % 60;
    return r === 0 ? `${hours}h` : `${hours}h${r}m`;
  }
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) {
    const r = hours % 24;
    return r === 0 ? `${Math.trunc(hours / 24)}d` : `${Math.trunc(hours / 24)}d${r}h`;
  }
  if (hours < 24 * 365 * 2) return `${Math.trunc(hours / 24)}d`;
  if (hours < 24 * 365 * 8) {
    const dy = Math.trunc(hours / 24) % 365;
    return dy === 0 ? `${Math.trunc(hours / 24 / 365)}y` : `${Math.trunc(hours / 24 / 365)}y${dy}d`;
  }
  return `${Math.trunc(hours / 24 / 365)}y`;
}

/** A run length for people: "850ms", "2s", "1m5s", "2h3m". */
export function runLength(ms: number): string {
  if (ms < 0) return '0s';
  // API times have second precision: a shorter run is "under a second", not "0ms".
  if (ms < 1000) return '<1s';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${s % 60 ? `${s % 60}s` : ''}`;
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return `${h}h${m ? `${m}m` : ''}`;
}

/** 14:03:07 in UTC (deterministic in tests and across machines). */
export function clockTime(ms: number): string {
  return new Date(ms).toISOString().slice(11, 19);
}
