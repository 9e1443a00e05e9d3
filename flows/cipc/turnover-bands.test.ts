import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TURNOVER_BANDS, turnoverBandForAmount, turnoverBandsFor } from './turnover-bands.js';

describe('turnover bands', () => {
  it('fit a WhatsApp list row: title ≤ 24, description ≤ 72, unique ids and titles per table', () => {
    for (const band of TURNOVER_BANDS) {
      assert.ok(band.title.length <= 24, band.title);
      assert.ok(band.description.length <= 72, band.description);
    }
    for (const kind of ['company', 'close-corporation'] as const) {
      const bands = turnoverBandsFor(kind);
      assert.equal(new Set(bands.map((band) => band.title)).size, bands.length);
    }
    assert.equal(new Set(TURNOVER_BANDS.map((band) => band.id)).size, TURNOVER_BANDS.length);
  });

  it('cover every amount from zero up, without gaps or overlaps', () => {
    for (const kind of ['company', 'close-corporation'] as const) {
      const bands = turnoverBandsFor(kind);
      assert.equal(bands[0]?.fromCents, 0);
      for (const [index, band] of bands.entries()) {
        if (index > 0) assert.equal(band.fromCents, bands[index - 1]?.belowCents);
      }
      assert.equal(bands.at(-1)?.belowCents, undefined);
    }
  });

  const amounts: ['company' | 'close-corporation', number, string][] = [
    ['company', 0, 'company-under-1m'],
    ['company', 99_999_999, 'company-under-1m'],
    ['company', 100_000_000, 'company-1m-to-10m'],
    ['company', 999_999_999, 'company-1m-to-10m'],
    ['company', 1_000_000_000, 'company-10m-to-25m'],
    ['company', 2_499_999_999, 'company-10m-to-25m'],
    ['company', 2_500_000_000, 'company-25m-plus'],
    ['close-corporation', 0, 'cc-under-50m'],
    ['close-corporation', 4_999_999_999, 'cc-under-50m'],
    ['close-corporation', 5_000_000_000, 'cc-50m-plus'],
  ];
  for (const [kind, cents, id] of amounts) {
    it(`puts ${cents} cents for a ${kind} in ${id}`, () => {
      assert.equal(turnoverBandForAmount(kind, cents)?.id, id);
    });
  }
});
