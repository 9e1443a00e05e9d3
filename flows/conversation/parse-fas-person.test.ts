import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseEmail } from './parse-email.js';
import { parseFasPerson } from './parse-fas-person.js';

describe('parseFasPerson', () => {
  const cases: [string, { name: string; idNumber: string } | undefined][] = [
    ['Thandi Mokoena 8001015009087', { name: 'Thandi Mokoena', idNumber: '8001015009087' }],
    ['Thandi Mokoena, ID 800101 5009 087', { name: 'Thandi Mokoena', idNumber: '8001015009087' }],
    ['8001015009087 Thandi Mokoena', { name: 'Thandi Mokoena', idNumber: '8001015009087' }],
    ['Nkosi & Co practice no 12345', { name: 'Nkosi & Co', idNumber: '12345' }],
    ['Books Ltd 2015/123456/07', { name: 'Books Ltd', idNumber: '2015/123456/07' }],
    ['Thandi Mokoena 8001015009088', undefined], // fails the ID number's check digit
    ['Thandi Mokoena', undefined],
    ['8001015009087', undefined],
    ['agent', undefined],
  ];
  for (const [line, expected] of cases) {
    it(`reads ${JSON.stringify(line)}`, () => assert.deepEqual(parseFasPerson(line), expected));
  }
});

describe('parseEmail', () => {
  for (const [text, expected] of [
    ['Thandi@Acme.co.za', 'thandi@acme.co.za'],
    ["it's thandi@acme.co.za.", 'thandi@acme.co.za'],
    ['thandi at acme', undefined],
    ['thandi@acme', undefined],
  ] as const) {
    it(`reads ${JSON.stringify(text)}`, () => assert.equal(parseEmail(text), expected));
  }
});
