import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TURNOVER_BANDS, turnoverBandForAmount } from '../cipc/turnover-bands.js';
import { representativeTurnoverCents } from './representative-turnover.js';

describe('representative turnover', () => {
  it('lies inside its own band for every band', () => {
    for (const band of TURNOVER_BANDS) {
      const cents = representativeTurnoverCents(band.id);
      assert.equal(turnoverBandForAmount(band.feeTable, cents)?.id, band.id, band.id);
      assert.equal(cents % 100, 0);
    }
  });

  it('is the midpoint of a bounded band and the floor of the open one', () => {
    assert.equal(representativeTurnoverCents('company-under-1m'), 500_000_00);
    assert.equal(representativeTurnoverCents('company-25m-plus'), 25_000_000_00);
    assert.throws(() => representativeTurnoverCents('nope'), RangeError);
  });
});
