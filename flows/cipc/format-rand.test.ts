import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatRand } from './format-rand.js';

describe('formatRand', () => {
  const table: [cents: number, text: string][] = [
    [0, 'R0.00'],
    [5, 'R0.05'],
    [100_00, 'R100.00'],
    [199_00, 'R199.00'],
    [999_99, 'R999.99'],
    [1_000_00, 'R1 000.00'],
    [1_234_00, 'R1 234.00'],
    [4_150_00, 'R4 150.00'],
    [1_234_567_89, 'R1 234 567.89'],
    [-25_00, '-R25.00'],
  ];
  for (const [cents, text] of table) {
    it(`shows ${cents} cents as ${text}`, () => assert.equal(formatRand(cents), text));
  }

  it('refuses fractions of a cent', () => {
    assert.throws(() => formatRand(1.5), RangeError);
  });
});
