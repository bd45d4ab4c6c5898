// Clock times for people: the Clock of src/output/clock.ts (the local zone by default, --utc,
// --timezone; UTC in tests and goldens), and the zone's offset, by which the axis aligns its ticks.

import type { Clock } from '../output/clock.ts';

export { UTC_CLOCK, type Clock } from '../output/clock.ts';

/** The zone's offset from UTC at `ms` (local wall time minus UTC), from what the clock prints. */
export function zoneOffset(clock: Clock, ms: number): number {
  if (clock.zone === 'UTC') return 0;
  const wall = Date.parse(`${clock.dateTime(ms).replace(' ', 'T')}Z`);
  return Number.isFinite(wall) ? wall - Math.floor(ms / 1000) * 1000 : 0;
}
