import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { quoteAnnualReturns } from './quote.js';

describe('quoteAnnualReturns', () => {
  it('prices each year by its band and lateness and adds one service fee', () => {
    assert.deepEqual(
      quoteAnnualReturns({
        enterpriseType: 'private-company',
        years: [
          { year: 2025, late: true, turnoverBandId: 'company-under-1m' },
          { year: 2026, late: false, turnoverBandId: 'company-1m-to-10m' },
        ],
        serviceFeeCents: 199_00,
      }),
      {
        years: [
          { year: 2025, late: true, turnoverBandId: 'company-under-1m', feeCents: 150_00 },
          { year: 2026, late: false, turnoverBandId: 'company-1m-to-10m', feeCents: 450_00 },
        ],
        cipcFeeCents: 600_00,
        serviceFeeCents: 199_00,
        totalCents: 799_00,
      },
    );
  });

  it('prices a CC with the CC table', () => {
    const quote = quoteAnnualReturns({
      enterpriseType: 'close-corporation',
      years: [
        { year: 2024, late: true, turnoverBandId: 'cc-under-50m' },
        { year: 2025, late: true, turnoverBandId: 'cc-50m-plus' },
        { year: 2026, late: false, turnoverBandId: 'cc-under-50m' },
      ],
      serviceFeeCents: 199_00,
    });
    assert.deepEqual(
      quote.years.map(({ feeCents }) => feeCents),
      [250_00, 4_150_00, 100_00],
    );
    assert.equal(quote.cipcFeeCents, 4_500_00);
    assert.equal(quote.totalCents, 4_699_00);
  });

  it('quotes only the service fee when no year is given', () => {
    const quote = quoteAnnualReturns({ enterpriseType: 'npc', years: [], serviceFeeCents: 199_00 });
    assert.deepEqual(quote, { years: [], cipcFeeCents: 0, serviceFeeCents: 199_00, totalCents: 199_00 });
  });

  it('refuses a year twice, a band of the wrong table and a service fee that is not whole cents', () => {
    const year = { year: 2025, late: false, turnoverBandId: 'company-under-1m' } as const;
    assert.throws(
      () => quoteAnnualReturns({ enterpriseType: 'npc', years: [year, year], serviceFeeCents: 0 }),
      RangeError,
    );
    assert.throws(
      () => quoteAnnualReturns({ enterpriseType: 'close-corporation', years: [year], serviceFeeCents: 0 }),
      RangeError,
    );
    assert.throws(
      () => quoteAnnualReturns({ enterpriseType: 'npc', years: [], serviceFeeCents: 199.5 }),
      RangeError,
    );
    assert.throws(
      () => quoteAnnualReturns({ enterpriseType: 'npc', years: [], serviceFeeCents: -1 }),
      RangeError,
    );
  });
});
