import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createCipcPortalSandbox } from './create-cipc-portal-sandbox.js';
import { addBusinessDays } from './rules/add-business-days.js';
import { annualReturnFee } from './rules/annual-return-fee.js';
import { enterpriseKind } from './rules/enterprise-kind.js';

const today = () => new Date('2026-11-21T08:00:00Z');

describe('the documented test entities on 2026-11-21', () => {
  const { control } = createCipcPortalSandbox({ today });
  const cases = [
    {
      number: '2019/123456/07',
      name: 'ACME TRADING (PTY) LTD',
      status: 'In Business',
      years: [2025, 2026],
      feeCents: 300_00,
    },
    {
      number: '2008/765432/23',
      name: 'KAROO CRAFTS CC',
      status: 'In Business',
      years: [2026],
      feeCents: 250_00,
    },
    {
      number: '2016/222222/07',
      name: 'NO BO DECLARED (PTY) LTD',
      status: 'In Business',
      years: [2026],
      feeCents: 150_00,
    },
    {
      number: '2012/333333/07',
      name: 'GONE FISHING (PTY) LTD',
      status: 'Deregistered',
      years: [2018, 2019, 2020, 2021, 2022, 2023, 2024, 2025, 2026],
      feeCents: 9 * 150_00,
    },
    {
      number: '2017/555555/08',
      name: 'UBUNTU CARE NPC',
      status: 'AR Deregistration Process',
      years: [2024, 2025, 2026],
      feeCents: 450_00,
    },
  ];
  for (const c of cases) {
    it(`${c.name}: ${c.status}, outstanding ${c.years.join(', ')}, all late, R${c.feeCents / 100} under R1 million`, () => {
      const enterprise = control.enterprise(c.number);
      assert.equal(enterprise?.name, c.name);
      assert.equal(enterprise?.status, c.status);
      const outstanding = control.outstandingYears(c.number);
      assert.deepEqual(
        outstanding.map((y) => y.year),
        c.years,
      );
      assert.ok(outstanding.every((y) => y.late));
      const kind = enterpriseKind(enterprise.type);
      const fee = outstanding.reduce((sum, y) => sum + annualReturnFee(kind, 500_000_00, y.late), 0);
      assert.equal(fee, c.feeCents);
    });
  }

  it('records BO declarations: every year for ACME, last in 2024 for NO BO DECLARED, never for GONE FISHING', () => {
    assert.ok(control.enterprise('2019/123456/07')?.boDeclarationYears.includes(2026));
    assert.equal(control.enterprise('2016/222222/07')?.boDeclarationYears.at(-1), 2024);
    assert.deepEqual(control.enterprise('2012/333333/07')?.boDeclarationYears, []);
  });

  it('keeps the filed history: ACME 2020-2024, KAROO up to 2025, each paid once', () => {
    const acme = control.filings('2019/123456/07');
    assert.deepEqual(
      acme.map((f) => f.year),
      [2020, 2021, 2022, 2023, 2024],
    );
    assert.ok(acme.every((f) => f.paidCount === 1));
    assert.equal(control.filings('2008/765432/23').at(-1)?.year, 2025);
  });
});

describe('filing windows', () => {
  const { control } = createCipcPortalSandbox({ today });
  it('gives companies 30 business days after the anniversary, skipping SA public holidays', () => {
    // 2026-03-14 is a Saturday; 21 Mar, Good Friday, Family Day and Freedom Day fall inside the window.
    assert.equal(addBusinessDays('2026-03-14', 30), '2026-04-29');
    assert.equal(control.outstandingYears('2019/123456/07').at(-1)?.closes, '2026-04-29');
  });

  it('gives CCs the anniversary month and the following month', () => {
    const [karoo] = control.outstandingYears('2008/765432/23');
    assert.deepEqual([karoo?.opens, karoo?.closes], ['2026-06-01', '2026-07-31']);
    const [lodge] = control.outstandingYears('2003/054321/23');
    assert.deepEqual([lodge?.year, lodge?.late], [2026, false]);
  });

  it('does not list a year before its anniversary, and a company inside its window is on time', () => {
    assert.deepEqual(
      control.outstandingYears('2021/118734/07').map((y) => y.year),
      [2025],
    );
    const [sipho] = control.outstandingYears('2020/654321/07');
    assert.deepEqual([sipho?.year, sipho?.late], [2026, false]);
  });
});

describe('fees', () => {
  const table: [kind: 'company' | 'closeCorporation', turnoverRand: number, late: boolean, rand: number][] = [
    ['company', 999_999.99, false, 100],
    ['company', 1_000_000, false, 450],
    ['company', 9_999_999, true, 600],
    ['company', 10_000_000, false, 2_000],
    ['company', 24_999_999, true, 2_500],
    ['company', 25_000_000, false, 3_000],
    ['company', 80_000_000, true, 4_000],
    ['closeCorporation', 49_999_999, false, 100],
    ['closeCorporation', 49_999_999, true, 250],
    ['closeCorporation', 50_000_000, false, 4_000],
    ['closeCorporation', 50_000_000, true, 4_150],
  ];
  for (const [kind, turnover, late, rand] of table) {
    it(`${kind} with turnover R${turnover} ${late ? 'late' : 'on time'} pays R${rand}`, () => {
      assert.equal(annualReturnFee(kind, Math.round(turnover * 100), late), rand * 100);
    });
  }
});
