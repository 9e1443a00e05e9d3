import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseTurnover } from './parse-turnover.js';
import type { TurnoverBandId } from './turnover-bands.js';

describe('parseTurnover', () => {
  // text, band for a company, band for a close corporation
  const table: [string, TurnoverBandId | undefined, TurnoverBandId | undefined][] = [
    ['about 2 million', 'company-1m-to-10m', 'cc-under-50m'],
    ['R850k', 'company-under-1m', 'cc-under-50m'],
    ['850 K', 'company-under-1m', 'cc-under-50m'],
    ['under a million', 'company-under-1m', 'cc-under-50m'],
    ['up to a million', 'company-under-1m', 'cc-under-50m'],
    ['less than 1m', 'company-under-1m', 'cc-under-50m'],
    ['< R1m', 'company-under-1m', 'cc-under-50m'],
    ['R 1,5 mil', 'company-1m-to-10m', 'cc-under-50m'],
    ['1.2m', 'company-1m-to-10m', 'cc-under-50m'],
    ['1.500m', 'company-1m-to-10m', 'cc-under-50m'],
    ['approx R 2.5 million per year', 'company-1m-to-10m', 'cc-under-50m'],
    ['half a million', 'company-under-1m', 'cc-under-50m'],
    ['two million', 'company-1m-to-10m', 'cc-under-50m'],
    ['R10m', 'company-10m-to-25m', 'cc-under-50m'],
    ['under 25m', 'company-10m-to-25m', 'cc-under-50m'],
    ['25 000 000', 'company-25m-plus', 'cc-under-50m'],
    ['R24 999 999.99', 'company-10m-to-25m', 'cc-under-50m'],
    ['over 25 million', 'company-25m-plus', 'cc-under-50m'],
    ['R25m+', 'company-25m-plus', 'cc-under-50m'],
    ['50m+', 'company-25m-plus', 'cc-50m-plus'],
    ['more than 50 million', 'company-25m-plus', 'cc-50m-plus'],
    ['R50 000 000', 'company-25m-plus', 'cc-50m-plus'],
    ['R 49 999 999', 'company-25m-plus', 'cc-under-50m'],
    ['R1.2bn', 'company-25m-plus', 'cc-50m-plus'],
    ['R1,000,000', 'company-1m-to-10m', 'cc-under-50m'],
    ['R1 000 000,00', 'company-1m-to-10m', 'cc-under-50m'],
    ['1.000.000', 'company-1m-to-10m', 'cc-under-50m'],
    ['R999 999.99', 'company-under-1m', 'cc-under-50m'],
    ['850.000', 'company-under-1m', 'cc-under-50m'],
    ['R500', 'company-under-1m', 'cc-under-50m'],
    ['nil', 'company-under-1m', 'cc-under-50m'],
    ['Nil.', 'company-under-1m', 'cc-under-50m'],
    ['0', 'company-under-1m', 'cc-under-50m'],
    ['R0', 'company-under-1m', 'cc-under-50m'],
    ['zero', 'company-under-1m', 'cc-under-50m'],
    ['none', 'company-under-1m', 'cc-under-50m'],
    ['dormant', 'company-under-1m', 'cc-under-50m'],
    ['no income', 'company-under-1m', 'cc-under-50m'],
    ['1-10m', 'company-1m-to-10m', 'cc-under-50m'],
    ['between 1 and 10 million', 'company-1m-to-10m', 'cc-under-50m'],
    ['R2m - R5m', 'company-1m-to-10m', 'cc-under-50m'],
    ['R5m to R15m', undefined, 'cc-under-50m'],
    // ambiguous or not an amount: ask again
    ['5', undefined, undefined],
    ['1.2', undefined, undefined],
    ['I dont know', undefined, undefined],
    ['', undefined, undefined],
    ['under 0', undefined, undefined],
    ['2021: 1m, 2022: 2m', undefined, undefined],
  ];
  for (const [text, company, closeCorporation] of table) {
    it(`reads ${JSON.stringify(text)} as ${company} for a company, ${closeCorporation} for a CC`, () => {
      assert.equal(parseTurnover(text, 'private-company'), company);
      assert.equal(parseTurnover(text, 'close-corporation'), closeCorporation);
    });
  }

  const typedBack: [string, TurnoverBandId][] = [
    ['company-1m-to-10m', 'company-1m-to-10m'],
    ['R1m to under R10m', 'company-1m-to-10m'],
    ['r10m to under r25m', 'company-10m-to-25m'],
    ['  Under R1 million ', 'company-under-1m'],
    ['R25 million or more', 'company-25m-plus'],
  ];
  for (const [text, id] of typedBack) {
    it(`maps the list row ${JSON.stringify(text)} back to ${id}`, () => {
      assert.equal(parseTurnover(text, 'npc'), id);
    });
  }

  it('maps CC list rows for a CC', () => {
    assert.equal(parseTurnover('cc-50m-plus', 'close-corporation'), 'cc-50m-plus');
    assert.equal(parseTurnover('R50 million or more', 'close-corporation'), 'cc-50m-plus');
    assert.equal(parseTurnover('Under R50 million', 'close-corporation'), 'cc-under-50m');
  });
});
