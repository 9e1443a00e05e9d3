import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addBusinessDays } from './add-business-days.js';
import { isBusinessDay } from './is-business-day.js';

describe('isBusinessDay', () => {
  const days: [date: string, business: boolean, why: string][] = [
    ['2026-11-20', true, 'an ordinary Friday'],
    ['2026-11-21', false, 'Saturday'],
    ['2026-11-22', false, 'Sunday'],
    ['2025-04-18', false, 'Good Friday'],
    ['2025-04-21', false, 'Family Day'],
    ['2025-04-28', false, 'Freedom Day (Sunday 27 April) moved to Monday'],
    ['2022-05-02', false, "Workers' Day (Sunday 1 May) moved to Monday"],
    ['2023-01-02', false, "New Year's Day (Sunday) moved to Monday"],
    ['2021-12-27', false, 'Day of Goodwill (Sunday) moved to Monday'],
    ['2022-12-27', false, 'declared: Christmas on Sunday, Monday already Day of Goodwill'],
    ['2023-12-15', false, 'declared: Rugby World Cup'],
    ['2024-05-29', false, 'election day'],
    ['2019-05-08', false, 'election day the library does not list'],
    ['2021-11-01', false, 'local election day'],
    ['2026-03-21', false, 'Human Rights Day on a Saturday stays a weekend day'],
    ['2026-03-23', true, 'a Saturday holiday does not move'],
    ['2026-12-16', false, 'Day of Reconciliation'],
    ['2026-12-24', true, 'Christmas Eve is a working day'],
    ['2026-12-28', true, 'Day of Goodwill on a Saturday does not move'],
  ];
  for (const [date, business, why] of days) {
    it(`${date} is ${business ? '' : 'not '}a business day: ${why}`, () => {
      assert.equal(isBusinessDay(date), business);
    });
  }
});

describe('addBusinessDays', () => {
  const table: [from: string, count: number, to: string, why: string][] = [
    ['2026-11-19', 1, '2026-11-20', 'Thursday to Friday'],
    ['2026-11-20', 1, '2026-11-23', 'over a weekend'],
    ['2026-11-21', 1, '2026-11-23', 'from a Saturday'],
    ['2026-11-20', 0, '2026-11-20', 'zero days'],
    ['2026-11-21', 0, '2026-11-21', 'zero days on a weekend'],
    ['2024-03-28', 1, '2024-04-02', 'over Easter: Good Friday, weekend, Family Day'],
    ['2024-03-28', 2, '2024-04-03', 'past Easter'],
    ['2022-04-29', 1, '2022-05-03', "over Workers' Day moved from Sunday to Monday"],
    ['2022-12-23', 1, '2022-12-28', 'over Christmas 2022 and the declared 27th'],
    ['2025-12-15', 1, '2025-12-17', 'over Day of Reconciliation'],
    ['2025-12-24', 1, '2025-12-29', 'over Christmas and Day of Goodwill'],
    ['2025-12-31', 1, '2026-01-02', "over New Year's Day"],
    ['2026-11-23', -1, '2026-11-20', 'backwards over a weekend'],
    ['2024-04-02', -1, '2024-03-28', 'backwards over Easter'],
  ];
  for (const [from, count, to, why] of table) {
    it(`${from} + ${count} business days is ${to} (${why})`, () => {
      assert.equal(addBusinessDays(from, count), to);
    });
  }

  it('refuses fractions of days and malformed dates', () => {
    assert.throws(() => addBusinessDays('2026-11-20', 1.5), RangeError);
    assert.throws(() => addBusinessDays('2026-02-30', 1), RangeError);
    assert.throws(() => addBusinessDays('20/11/2026', 1), RangeError);
  });
});
