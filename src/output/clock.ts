// Clock times for people: in the local time zone by default (--utc, --timezone ZONE otherwise),
// with the zone named where a time is first shown. The printers and the UI take a Clock, so tests
// and goldens pass UTC and stay the same on every machine.

export interface Clock {
  /** The IANA zone, or "UTC". */
  readonly zone: string;
  /** 14:03:07 */
  time(ms: number): string;
  /** 2025-12-01 14:03:07 */
  dateTime(ms: number): string;
  /** The zone as people read it at that instant: "UTC", "CET", or "UTC+09:00" when it has no common abbreviation. */
  label(ms: number): string;
}

const two = (n: number): string => String(n).padStart(2, '0');

export const UTC_CLOCK: Clock = {
  zone: 'UTC',
  time: (ms) => new Date(ms).toISOString().slice(11, 19),
  dateTime: (ms) => new Date(ms).toISOString().slice(0, 19).replace('T', ' '),
  label: () => 'UTC',
};

/**
 * The local zone when it is plainly UTC (TZ says so, or /etc/localtime links to the UTC zone file),
 * found without Intl: the first Intl.DateTimeFormat loads the time zone data, 10-50 ms of the
 * first screen. undefined: ask Intl.
 */
export function localUtcZone(
  env: NodeJS.ProcessEnv = process.env,
  readlink: (path: string) => string = (p) => process.getBuiltinModule('node:fs').readlinkSync(p),
): 'UTC' | undefined {
  const tz = env['TZ'];
  if (tz !== undefined) return tz === 'UTC' || tz === 'Etc/UTC' ? 'UTC' : undefined;
  try {
    return /\/zoneinfo\/(Etc\/)?UTC$/.test(readlink('/etc/localtime')) ? 'UTC' : undefined;
  } catch {
    return undefined; // not a link, or no such file (Windows): Intl knows
  }
}

/** A clock in `timeZone` (an IANA name); undefined = the local zone of this process. */
export function makeClock(timeZone: string | undefined): Clock {
  const zone = timeZone ?? localUtcZone() ?? Intl.DateTimeFormat().resolvedOptions().timeZone ?? 'UTC';
  if (zone === 'UTC' || zone === 'Etc/UTC') return UTC_CLOCK;
  const fmt = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
  const names = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'short' });
  const parts = (ms: number): Record<string, number> => {
    const out: Record<string, number> = {};
    for (const p of fmt.formatToParts(ms)) if (p.type !== 'literal') out[p.type] = Number(p.value);
    return out;
  };
  // Times are printed once a second at most per line; a small cache of the last second is enough.
  let lastSecond = NaN;
  let last: Record<string, number> = {};
  const at = (ms: number): Record<string, number> => {
    const s = Math.floor(ms / 1000);
    if (s !== lastSecond) {
      last = parts(ms);
      lastSecond = s;
    }
    return last;
  };
  return {
    zone,
    time: (ms) => {
      const p = at(ms);
      return `${two(p['hour']!)}:${two(p['minute']!)}:${two(p['second']!)}`;
    },
    dateTime: (ms) => {
      const p = at(ms);
      return `${p['year']}-${two(p['month']!)}-${two(p['day']!)} ${two(p['hour']!)}:${two(p['minute']!)}:${two(p['second']!)}`;
    },
    label: (ms) => {
      const name = names.formatToParts(ms).find((p) => p.type === 'timeZoneName')?.value ?? '';
      if (/^[A-Z]{2,5}$/.test(name)) return name;
      const p = at(ms);
      const asUtc = Date.UTC(p['year']!, p['month']! - 1, p['day']!, p['hour']!, p['minute']!, p['second']!);
      const offset = Math.round((asUtc - Math.floor(ms / 1000) * 1000) / 60_000);
      if (offset === 0) return 'UTC';
      const abs = Math.abs(offset);
      return `UTC${offset < 0 ? '-' : '+'}${two(Math.floor(abs / 60))}:${two(abs % 60)}`;
    },
  };
}
