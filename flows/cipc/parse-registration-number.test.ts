import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseRegistrationNumber } from './parse-registration-number.js';

const TODAY = '2026-11-21';

describe('parseRegistrationNumber', () => {
  const accepted: [input: string, number: string, enterpriseType: string][] = [
    ['2019/123456/07', '2019/123456/07', 'private-company'],
    ['2019 123456 07', '2019/123456/07', 'private-company'],
    ['201912345607', '2019/123456/07', 'private-company'],
    ['K2019/123456/07', '2019/123456/07', 'private-company'],
    ['k2019/123456/07', '2019/123456/07', 'private-company'],
    ['K 2019/123456/07', '2019/123456/07', 'private-company'],
    ['M2005/012345/07', '2005/012345/07', 'private-company'],
    ['B1998/012345/23', '1998/012345/23', 'close-corporation'],
    ['CK1998/012345/23', '1998/012345/23', 'close-corporation'],
    ['ck1998/012345/23', '1998/012345/23', 'close-corporation'],
    ['CK1998/12345/23', '1998/012345/23', 'close-corporation'],
    ['2019-123456-07', '2019/123456/07', 'private-company'],
    ['2019.123456.07', '2019/123456/07', 'private-company'],
    ['2019\\123456\\07', '2019/123456/07', 'private-company'],
    ['  2019 / 123456 / 07 ', '2019/123456/07', 'private-company'],
    ['2019/123 456/07', '2019/123456/07', 'private-company'],
    ['2019 123 456 07', '2019/123456/07', 'private-company'],
    ['2019/123456/7', '2019/123456/07', 'private-company'],
    ['2010/123456/06', '2010/123456/06', 'public-company'],
    ['2015/123456/08', '2015/123456/08', 'npc'],
    ['2012/123456/10', '2012/123456/10', 'external-company'],
    ['1990/123456/21', '1990/123456/21', 'personal-liability'],
    ['2001/123456/30', '2001/123456/30', 'state-owned'],
    ['2014/123456/24', '2014/123456/24', 'co-operative'],
    ['2014/123456/26', '2014/123456/26', 'co-operative'],
    ['2026/000001/07', '2026/000001/07', 'private-company'],
    ['1900/000001/06', '1900/000001/06', 'public-company'],
  ];
  for (const [input, number, enterpriseType] of accepted) {
    it(`reads ${JSON.stringify(input)} as ${number}`, () => {
      const parsed = parseRegistrationNumber(input, TODAY);
      assert.equal(parsed.ok, true, JSON.stringify(parsed));
      if (!parsed.ok) return;
      assert.equal(parsed.number, number);
      assert.equal(parsed.enterpriseType, enterpriseType);
      const [year, sequence, typeCode] = number.split('/');
      assert.deepEqual(
        { year: parsed.year, sequence: parsed.sequence, typeCode: parsed.typeCode },
        { year: Number(year), sequence, typeCode },
      );
    });
  }

  const rejected: [input: string, why: RegExp][] = [
    ['', /empty/],
    ['   ', /empty/],
    ['hello', /only digits/],
    ['X2019/123456/07', /only digits/],
    ['2019/123456/07 ACME', /only digits/],
    ['20191234560', /12 digits/],
    ['2019123456070', /12 digits/],
    ['2019/1234567/07', /12 digits/],
    ['19/123456/07', /12 digits/],
    ['2019/123456/007', /12 digits/],
    ['2019/123456', /12 digits/],
    ['1899/123456/07', /1899 is too early/],
    ['2027/123456/07', /2027 is in the future/],
    ['2019/123456/99', /99, is not a CIPC type code/],
    ['2019/123456/00', /00, is not a CIPC type code/],
  ];
  for (const [input, why] of rejected) {
    it(`rejects ${JSON.stringify(input)} and shows the right form`, () => {
      const parsed = parseRegistrationNumber(input, TODAY);
      assert.equal(parsed.ok, false);
      if (parsed.ok) return;
      assert.match(parsed.reason, why);
      assert.match(parsed.reason, /2019\/123456\/07/);
    });
  }

  it('checks for a future year only when given today', () => {
    assert.equal(parseRegistrationNumber('2099/123456/07').ok, true);
    assert.equal(parseRegistrationNumber('2099/123456/07', '2099-01-01').ok, true);
    assert.equal(parseRegistrationNumber('2099/123456/07', '2098-12-31').ok, false);
  });
});
