import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { anniversaryOf, annualReturnWindow } from './annual-return-window.js';
import type { FileableEnterpriseType } from './enterprise-type.js';
import { isLate } from './is-late.js';

describe('annualReturnWindow', () => {
  const table: [
    FileableEnterpriseType,
    incorporated: string,
    year: number,
    opens: string,
    due: string,
    why: string,
  ][] = [
    [
      'private-company',
      '2019-03-14',
      2025,
      '2025-03-14',
      '2025-05-02',
      'past Human Rights Day, Easter, Freedom Day moved to Monday and Workers Day',
    ],
    ['private-company', '2019-03-14', 2026, '2026-03-14', '2026-04-29', 'anniversary on a Saturday'],
    ['npc', '2023-03-28', 2024, '2024-03-28', '2024-05-14', 'anniversary the day before Good Friday'],
    [
      'private-company',
      '2020-12-16',
      2025,
      '2025-12-16',
      '2026-01-30',
      'anniversary on 16 Dec, over Christmas',
    ],
    [
      'public-company',
      '2020-12-24',
      2022,
      '2022-12-24',
      '2023-02-08',
      'over the declared 27 Dec and 2 Jan 2023',
    ],
    [
      'external-company',
      '2020-06-16',
      2024,
      '2024-06-16',
      '2024-07-29',
      'Youth Day on a Sunday, Monday 17 June off',
    ],
    ['private-company', '2020-02-29', 2021, '2021-02-28', '2021-04-14', 'leap-day company in a common year'],
    ['private-company', '2020-02-29', 2024, '2024-02-29', '2024-04-16', 'leap-day company in a leap year'],
    [
      'close-corporation',
      '2008-06-02',
      2026,
      '2026-06-01',
      '2026-07-31',
      'CC: anniversary month and the next',
    ],
    ['close-corporation', '2008-12-10', 2025, '2025-12-01', '2026-01-31', 'CC in December: due next January'],
    ['close-corporation', '2008-11-30', 2025, '2025-11-01', '2025-12-31', 'CC in November: due 31 December'],
    ['close-corporation', '2008-01-15', 2024, '2024-01-01', '2024-02-29', 'CC in January of a leap year'],
    ['close-corporation', '2008-01-15', 2026, '2026-01-01', '2026-02-28', 'CC in January of a common year'],
    ['close-corporation', '2008-02-29', 2025, '2025-02-01', '2025-03-31', 'leap-day CC: the month counts'],
    ['close-corporation', '2005-03-31', 2026, '2026-03-01', '2026-04-30', 'CC due on a month end, weekday'],
    [
      'close-corporation',
      '2005-04-01',
      2026,
      '2026-04-01',
      '2026-05-31',
      'CC due on a Sunday month end stays',
    ],
  ];
  for (const [type, incorporated, year, opens, due, why] of table) {
    it(`${type} incorporated ${incorporated}: ${year} return ${opens} to ${due} (${why})`, () => {
      assert.deepEqual(annualReturnWindow(type, incorporated, year), { year, opens, due });
    });
  }

  it('has no return for the incorporation year or before', () => {
    assert.throws(() => annualReturnWindow('private-company', '2019-03-14', 2019), RangeError);
    assert.throws(() => annualReturnWindow('close-corporation', '2019-03-14', 2018), RangeError);
    assert.throws(() => annualReturnWindow('private-company', '2019-02-30', 2020), RangeError);
  });

  it('puts a 29 February anniversary on 28 February in common years', () => {
    assert.equal(anniversaryOf('2020-02-29', 2023), '2023-02-28');
    assert.equal(anniversaryOf('2020-02-29', 2028), '2028-02-29');
    assert.equal(anniversaryOf('2019-03-14', 2027), '2027-03-14');
  });
});

describe('isLate', () => {
  const window = annualReturnWindow('private-company', '2019-03-14', 2025);
  const table: [filedOn: string, late: boolean][] = [
    ['2025-03-14', false],
    ['2025-05-01', false],
    ['2025-05-02', false],
    ['2025-05-03', true],
    ['2026-01-10', true],
  ];
  for (const [filedOn, late] of table) {
    it(`a 2025 return due 2025-05-02 filed ${filedOn} is ${late ? 'late' : 'on time'}`, () => {
      assert.equal(isLate(window, filedOn), late);
    });
  }

  it('counts a CC return filed on the last day of the following month as on time', () => {
    const cc = annualReturnWindow('close-corporation', '2008-12-10', 2025);
    assert.equal(isLate(cc, '2026-01-31'), false);
    assert.equal(isLate(cc, '2026-02-01'), true);
  });
});
