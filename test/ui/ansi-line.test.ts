// One laid-out line as one string with SGR codes (src/ui/ansi-line.ts): adjacent spans of one style
// share one code, and every style a span can have gets its parameters in one order.

import assert from 'node:assert/strict';
import { test } from 'vitest';
import { ansiLine } from '../../src/ui/ansi-line.ts';
import type { Line } from '../../src/ui/layout.ts';

const E = '\x1b[';

test('every style a span can have: the tone, then bold, dim, inverse; nothing for a plain span', () => {
  const line: Line = [
    { text: 'plain ' },
    { text: 'warn', tone: 'warn', bold: true, dim: true, inverse: true },
    { text: ' ok', tone: 'ok' },
    { text: ' muted', tone: 'muted', dim: true },
    { text: ' error', tone: 'error', inverse: true },
    { text: ' progress', tone: 'progress', bold: true },
    { text: ' bold', bold: true },
  ];
  assert.equal(
    ansiLine(line, true),
    `plain ${E}33;1;2;7mwarn${E}0m${E}32m ok${E}0m${E}90;2m muted${E}0m${E}31;7m error${E}0m${E}36;1m progress${E}0m${E}1m bold${E}0m`,
  );
  // Without colour the tones go; bold, dim and inverse stay.
  assert.equal(ansiLine(line, false), `plain ${E}1;2;7mwarn${E}0m ok${E}2m muted${E}0m${E}7m error${E}0m${E}1m progress bold${E}0m`);
});

test('spans of one style next to each other run together under one code', () => {
  const line: Line = [{ text: 'a', tone: 'ok' }, { text: 'b', tone: 'ok' }, { text: 'c' }, { text: 'd' }, { text: 'e', tone: 'ok' }];
  assert.equal(ansiLine(line, true), `${E}32mab${E}0mcd${E}32me${E}0m`);
});
