// Time helpers for the model: RFC 3339 parsing, Go-duration parsing, and kubectl's human
// durations. Pure; "now" is always an argument.

// The one parser of every time the model reads. Accepted: RFC 3339 as the API server writes it
// (with or without fractions, "Z" or a numeric offset) and the form Python's YAML writes for loaded
// objects ("2024-05-01 10:00:00+00:00"; a time without an offset is UTC, as in YAML). Anything else
// is not a time: Date.parse would read "1" as the year 2001.
const TIME = /^(\d{4})-(\d\d)-(\d\d)[Tt ](\d\d):(\d\d):(\d\d)(\.\d+)?\s*(?:([Zz])|([+-])(\d\d):?(\d\d))?$/;

/** A timestamp to epoch ms; undefined for null, empty, unparsable, Go's zero time and the Unix epoch. */
export function parseTime(s: unknown): number | undefined {
  if (typeof s !== 'string' || s === '' || s.length > 64) return undefined;
  const m = TIME.exec(s.trim());
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6]].map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return undefined;
  const ms = m[7] ? Number((m[7].slice(1) + '00').slice(0, 3)) : 0;
  const offset = m[9] ? (m[9] === '-' ? -1 : 1) * (Number(m[10]) * 60 + Number(m[11])) * 60_000 : 0;
  const wall = new Date(0);
  wall.setUTCFullYear(year, month - 1, day); // not Date.UTC: it reads years below 100 as 19xx
  wall.setUTCHours(hour, minute, second, ms);
  // 31 February rolls over into March: not a date.
  if (wall.getUTCDate() !== day) return undefined;
  const t = wall.getTime() - offset;
  // Go's zero time (0001-01-01) and the Unix epoch (runtimes report 0 for "never started") are unknown.
  return t <= 0 ? undefined : t;
}

const MAX_GO_DURATION_SECONDS = 9_223_372_036;

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
  // A delay no Go time.Duration can hold (about 292 years) was not written by a kubelet.
  return matched === s.length && matched > 0 && total <= MAX_GO_DURATION_SECONDS ? total : undefined;
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

/** The largest time a Date can hold (±8.64e15 ms): beyond it toISOString throws. */
export function isTime(ms: number | undefined): ms is number {
  return ms !== undefined && Number.isFinite(ms) && Math.abs(ms) <= 8.64e15;
}

/** 14:03:07 in UTC (deterministic in tests and across machines); "?" for a time no clock can show. */
/**
 * How the model's own sentences write a clock time ("next attempt at 05:43:20"). UTC unless the
 * composition root names the zone the views use (--utc, --timezone, else local), so that a finding
 * and the line around it never disagree. A display setting, not a clock read: the model stays
 * deterministic for a given setting (tests and goldens use the UTC default).
 */
let formatClock: (ms: number) => string = (ms) => new Date(ms).toISOString().slice(11, 19);

export function setClockFormat(format: ((ms: number) => string) | undefined): void {
  formatClock = format ?? ((ms) => new Date(ms).toISOString().slice(11, 19));
}

export function clockTime(ms: number): string {
  return isTime(ms) ? formatClock(ms) : '?';
}
