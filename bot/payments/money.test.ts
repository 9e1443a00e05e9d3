import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { money } from './money.js';

describe('money', () => {
  it('formats cents as rands with two decimals', () => {
    for (const [cents, text] of [
      [0, '0.00'],
      [5, '0.05'],
      [34900, '349.00'],
      [19999, '199.99'],
      [123456789, '1234567.89'],
    ] as const) {
      assert.equal(money.format(cents), text);
    }
  });

  it('parses rands into cents without floating point error', () => {
    for (const [text, cents] of [
      ['349.00', 34900],
      ['349', 34900],
      ['0.1', 10],
      ['0.29', 29],
      ['1.15', 115],
      [' 25.5 ', 2550],
    ] as const) {
      assert.equal(money.parse(text), cents);
    }
  });

  it('round-trips every cent value in a range', () => {
    for (let cents = 0; cents < 5000; cents++) assert.equal(money.parse(money.format(cents)), cents);
  });

  it('refuses what is not an amount', () => {
    for (const bad of ['', '1.234', '-1.00', '1,000.00', 'R10', '1e3', '.5']) {
      assert.throws(() => money.parse(bad), RangeError, bad);
    }
    for (const bad of [-1, 1.5, Number.NaN]) assert.throws(() => money.format(bad), RangeError);
  });
});
