import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ENTERPRISE_TYPES, type EnterpriseType, feeTableKindOf, isFileable } from './enterprise-type.js';

describe('enterprise types', () => {
  const table: [EnterpriseType, 'company' | 'close-corporation' | undefined][] = [
    ['private-company', 'company'],
    ['public-company', 'company'],
    ['npc', 'company'],
    ['personal-liability', 'company'],
    ['state-owned', 'company'],
    ['external-company', 'company'],
    ['close-corporation', 'close-corporation'],
    ['co-operative', undefined],
  ];
  for (const [type, kind] of table) {
    it(`${type} uses the ${kind ?? 'no'} fee table`, () => {
      assert.equal(isFileable(type), kind !== undefined);
      if (isFileable(type)) assert.equal(feeTableKindOf(type), kind);
    });
  }

  it('gives every type code to exactly one type', () => {
    const codes = Object.values(ENTERPRISE_TYPES).flatMap((info) => info.typeCodes);
    assert.equal(new Set(codes).size, codes.length);
  });
});
