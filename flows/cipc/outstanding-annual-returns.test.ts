import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AnnualReturnWindow } from './annual-return-window.js';
import { nextAnnualReturn } from './next-annual-return.js';
import { outstandingAnnualReturns } from './outstanding-annual-returns.js';

const years = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('outstandingAnnualReturns', () => {
  it('lists 2025 and 2026, both late, for a company from 2019-03-14 that filed 2020–2024', () => {
    assert.deepEqual(
      outstandingAnnualReturns({
        enterpriseType: 'private-company',
        incorporationDate: '2019-03-14',
        filedYears: years(2020, 2024),
        today: '2026-11-21',
      }),
      [
        { year: 2025, opens: '2025-03-14', due: '2025-05-02', late: true },
        { year: 2026, opens: '2026-03-14', due: '2026-04-29', late: true },
      ],
    );
  });

  it('lists a late 2026 for a CC from 2008-06-02 that filed up to 2025', () => {
    assert.deepEqual(
      outstandingAnnualReturns({
        enterpriseType: 'close-corporation',
        incorporationDate: '2008-06-02',
        filedYears: years(2009, 2025),
        today: '2026-11-21',
      }),
      [{ year: 2026, opens: '2026-06-01', due: '2026-07-31', late: true }],
    );
  });

  it('lists every year since incorporation when nothing was filed, oldest first', () => {
    const outstanding = outstandingAnnualReturns({
      enterpriseType: 'npc',
      incorporationDate: '2021-05-10',
      filedYears: [],
      today: '2026-11-21',
    });
    assert.deepEqual(
      outstanding.map(({ year }) => year),
      [2022, 2023, 2024, 2025, 2026],
    );
    assert.ok(outstanding.every(({ late }) => late));
  });

  const thisYear: [today: string, expected: { late: boolean } | undefined, why: string][] = [
    ['2026-03-13', undefined, 'the day before the anniversary: not open yet'],
    ['2026-03-14', { late: false }, 'on the anniversary (a Saturday)'],
    ['2026-04-29', { late: false }, 'on the last day'],
    ['2026-04-30', { late: true }, 'the day after the last day'],
  ];
  for (const [today, expected, why] of thisYear) {
    it(`handles this year's company return on ${today}: ${why}`, () => {
      const outstanding = outstandingAnnualReturns({
        enterpriseType: 'private-company',
        incorporationDate: '2019-03-14',
        filedYears: years(2020, 2025),
        today,
      });
      assert.deepEqual(
        outstanding.map(({ year, late }) => ({ year, late })),
        expected ? [{ year: 2026, ...expected }] : [],
      );
    });
  }

  it('opens a CC return on the 1st of the anniversary month, before the anniversary day', () => {
    const outstanding = outstandingAnnualReturns({
      enterpriseType: 'close-corporation',
      incorporationDate: '2008-06-20',
      filedYears: years(2009, 2025),
      today: '2026-06-01',
    });
    assert.deepEqual(outstanding, [{ year: 2026, opens: '2026-06-01', due: '2026-07-31', late: false }]);
  });

  it('finds nothing due for a company incorporated earlier this year', () => {
    assert.deepEqual(
      outstandingAnnualReturns({
        enterpriseType: 'private-company',
        incorporationDate: '2026-02-10',
        filedYears: [],
        today: '2026-11-21',
      }),
      [],
    );
  });
});

describe('nextAnnualReturn', () => {
  const table: [
    type: 'private-company' | 'close-corporation',
    incorporated: string,
    today: string,
    next: AnnualReturnWindow,
  ][] = [
    ['private-company', '2026-02-10', '2026-11-21', { year: 2027, opens: '2027-02-10', due: '2027-03-25' }],
    ['private-company', '2026-11-21', '2026-11-21', { year: 2027, opens: '2027-11-21', due: '2028-01-04' }],
    ['private-company', '2019-03-14', '2026-11-21', { year: 2027, opens: '2027-03-14', due: '2027-04-29' }],
    ['private-company', '2019-12-01', '2026-11-21', { year: 2026, opens: '2026-12-01', due: '2027-01-15' }],
    ['close-corporation', '2008-06-02', '2026-11-21', { year: 2027, opens: '2027-06-01', due: '2027-07-31' }],
    ['close-corporation', '2008-12-31', '2026-11-21', { year: 2026, opens: '2026-12-01', due: '2027-01-31' }],
  ];
  for (const [type, incorporated, today, next] of table) {
    it(`${type} incorporated ${incorporated}, today ${today}: next opens ${next.opens}`, () => {
      assert.deepEqual(
        nextAnnualReturn({ enterpriseType: type, incorporationDate: incorporated, today }),
        next,
      );
    });
  }
});
