/**
 * instantText writes what `Date.prototype.toISOString` writes (ECMA-262 §21.4.4.36, the Date Time
 * String Format of §21.4.1.32), by arithmetic instead of V8's formatter.
 */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { instantText } from '../../../../src/domain/calendar/instant-text.js';

const iso = (ms: number): string => new Date(ms).toISOString();
const DAY = 86_400_000;

test('every day from 1600 to 2500, at a time of day that changes each day, as toISOString', () => {
  const from = Date.UTC(1600, 0, 1);
  const to = Date.UTC(2500, 0, 1);
  for (let day = from, i = 0; day < to; day += DAY, i += 1) {
    const ms = day + ((i * 7_919_993) % DAY);
    assert.equal(instantText(ms), iso(ms));
  }
});

test('the edges of the four-digit years, leap days and the epoch, as toISOString', () => {
  const cases = [
    -62_167_219_200_000, // 0000-01-01T00:00:00.000Z
    -62_167_219_200_001, // the last millisecond of year -1
    253_402_300_799_999, // 9999-12-31T23:59:59.999Z
    253_402_300_800_000, // +010000-01-01
    Date.UTC(2000, 1, 29, 23, 59, 59, 999),
    Date.UTC(2100, 1, 28, 12),
    Date.UTC(2100, 2, 1),
    Date.UTC(1969, 11, 31, 23, 59, 59, 999),
    0,
    -1,
    8.64e15,
    -8.64e15,
  ];
  for (const ms of cases) assert.equal(instantText(ms), iso(ms), String(ms));
});

test('100,000 instants spread over every representable time, as toISOString', () => {
  let seed = 1;
  const next = (): number => (seed = (seed * 48_271) % 2_147_483_647) / 2_147_483_647;
  for (let i = 0; i < 100_000; i += 1) {
    const ms = Math.round((next() * 2 - 1) * 8.64e15);
    assert.equal(instantText(ms), iso(ms), String(ms));
  }
});

test('a fractional millisecond is dropped as by Date, and an invalid time throws as toISOString does', () => {
  assert.equal(instantText(1.7), iso(1.7));
  assert.equal(instantText(-1.5), iso(-1.5));
  assert.throws(() => instantText(Number.NaN), RangeError);
  assert.throws(() => instantText(8.64e15 + 1), RangeError);
});
