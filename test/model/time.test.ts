// The one time parser of the model, and the formatters that must never throw on any number.

import assert from 'node:assert/strict';
import { expect, test } from 'vitest';
import { clockTime, humanDuration, isTime, parseTime, runLength, setClockFormat } from '../../src/model/time.ts';

const T = Date.UTC(2026, 10, 25, 5, 43, 5);

test.each<[string, unknown, number | undefined]>([
  ['RFC 3339 as the API server writes it', '2026-11-25T05:43:05Z', T],
  ['with fractions (eventTime, micro)', '2026-11-25T05:43:05.557556Z', T + 557],
  ['with nanoseconds', '2026-11-25T05:43:05.123456789Z', T + 123],
  ['with a numeric offset', '2026-11-25T07:43:05+02:00', T],
  ['with a negative offset', '2026-11-25T00:43:05-05:00', T],
  ['lower-case t and z', '2026-11-25t05:43:05z', T],
  ["as Python's YAML writes it", '2026-11-25 05:43:05+00:00', T],
  ["Python's YAML with fractions", '2026-11-25 05:43:05.5+00:00', T + 500],
  ['no offset: UTC, as in YAML', '2026-11-25 05:43:05', T],
  ["Go's zero time is unknown", '0001-01-01T00:00:00Z', undefined],
  ['the Unix epoch is unknown (runtimes write it for "never")', '1970-01-01T00:00:00Z', undefined],
  ['before the epoch is unknown', '1969-07-20T20:17:40Z', undefined],
  ['31 February is not a date', '2026-02-31T00:00:00Z', undefined],
  ['month 13 is not a date', '2026-13-01T00:00:00Z', undefined],
  ['hour 24 is not a time', '2026-11-25T24:00:00Z', undefined],
  ['a bare number is not a time (Date.parse reads "1" as 2001)', '1', undefined],
  ['a date alone is not a time', '2026-11-25', undefined],
  ['words are not a time', 'yesterday', undefined],
  ['empty', '', undefined],
  ['null', null, undefined],
  ['a number', 1795585385000, undefined],
  ['an object', { seconds: 1 }, undefined],
  ['year 9999 still is one', '9999-12-31T23:59:59Z', Date.UTC(9999, 11, 31, 23, 59, 59)],
])('parseTime: %s', (_what, input, want) => {
  assert.equal(parseTime(input), want);
});

test.each([NaN, Infinity, -Infinity, 8.64e15 + 1, -1e300])('clockTime(%d) is "?", never a throw', (ms) => {
  assert.equal(isTime(ms), false);
  assert.equal(clockTime(ms), '?');
});

test('clockTime is UTC HH:MM:SS', () => {
  assert.equal(clockTime(T), '05:43:05');
});

test.each<[number, string]>([
  [-5000, '<invalid>'],
  [-1000, '0s'],
  [0, '0s'],
  [119_000, '119s'],
  [125_000, '2m5s'],
  [3 * 3600_000, '3h'],
  [3 * 86_400_000 + 3600_000, '3d1h'],
  [980 * 365 * 86_400_000, '980y'],
])('humanDuration(%d) = %s, as kubectl prints it', (ms, want) => {
  assert.equal(humanDuration(ms), want);
});

test.each<[number, string]>([
  [-1, '0s'],
  [500, '<1s'],
  [2000, '2s'],
  [65_000, '1m5s'],
  [2 * 3600_000 + 180_000, '2h3m'],
])('runLength(%d) = %s', (ms, want) => {
  assert.equal(runLength(ms), want);
});

test('clockTime writes the zone the views use once the composition root names it, UTC by default', () => {
  const t = Date.parse('2026-11-25T05:43:20Z');
  expect(clockTime(t)).toBe('05:43:20');
  setClockFormat((ms) => new Date(ms + 9 * 3_600_000).toISOString().slice(11, 19));
  try {
    expect(clockTime(t)).toBe('14:43:20');
    expect(clockTime(Number.NaN)).toBe('?');
  } finally {
    setClockFormat(undefined);
  }
  expect(clockTime(t)).toBe('05:43:20');
});
