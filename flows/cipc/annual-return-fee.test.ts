import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { annualReturnFeeCents } from './annual-return-fee.js';
import type { FileableEnterpriseType } from './enterprise-type.js';
import { FEE_TABLES } from './fee-tables.js';
import type { TurnoverBandId } from './turnover-bands.js';

describe('annualReturnFeeCents', () => {
  const fees: [FileableEnterpriseType, TurnoverBandId, onTime: number, late: number][] = [
    ['private-company', 'company-under-1m', 100_00, 150_00],
    ['private-company', 'company-1m-to-10m', 450_00, 600_00],
    ['private-company', 'company-10m-to-25m', 2_000_00, 2_500_00],
    ['private-company', 'company-25m-plus', 3_000_00, 4_000_00],
    ['npc', 'company-under-1m', 100_00, 150_00],
    ['npc', 'company-25m-plus', 3_000_00, 4_000_00],
    ['external-company', 'company-1m-to-10m', 450_00, 600_00],
    ['public-company', 'company-10m-to-25m', 2_000_00, 2_500_00],
    ['personal-liability', 'company-under-1m', 100_00, 150_00],
    ['state-owned', 'company-25m-plus', 3_000_00, 4_000_00],
    ['close-corporation', 'cc-under-50m', 100_00, 250_00],
    ['close-corporation', 'cc-50m-plus', 4_000_00, 4_150_00],
  ];
  for (const [enterpriseType, turnoverBandId, onTime, late] of fees) {
    it(`charges a ${enterpriseType} in ${turnoverBandId} ${onTime} cents on time, ${late} late`, () => {
      assert.equal(annualReturnFeeCents({ enterpriseType, turnoverBandId, late: false }), onTime);
      assert.equal(annualReturnFeeCents({ enterpriseType, turnoverBandId, late: true }), late);
    });
  }

  it("refuses a band from the other entity kind's table", () => {
    assert.throws(
      () =>
        annualReturnFeeCents({
          enterpriseType: 'close-corporation',
          turnoverBandId: 'company-under-1m',
          late: false,
        }),
      RangeError,
    );
    assert.throws(
      () => annualReturnFeeCents({ enterpriseType: 'npc', turnoverBandId: 'cc-50m-plus', late: true }),
      RangeError,
    );
  });

  it('keeps each table with its legal source and effective date', () => {
    for (const table of Object.values(FEE_TABLES)) {
      assert.match(table.source, /\w/);
      assert.match(table.effectiveFrom, /^\d{4}-\d{2}-\d{2}$/);
      for (const fee of Object.values(table.fees)) {
        assert.ok(Number.isInteger(fee.onTimeCents) && fee.lateCents > fee.onTimeCents);
      }
    }
    assert.match(FEE_TABLES.company.source, /Table CR 2B, item 8/);
  });
});
