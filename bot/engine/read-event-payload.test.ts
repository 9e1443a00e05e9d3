import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EVENT_PAYLOAD_VERSION } from '../../db/store-event.js';
import { readEventPayload } from './read-event-payload.js';

const AT = '2026-11-21T09:00:00Z';
const company = {
  registrationNumber: '2019/123456/07',
  name: 'ACME TRADING (PTY) LTD',
  enterpriseType: 'private-company',
  status: 'in business',
  incorporationDate: '2019-03-14',
  filedYears: [2020],
};

describe('readEventPayload', () => {
  it('reads a payload of today’s version as it was stored, without its version', () => {
    const stored = { type: 'lookup.found', at: AT, company, v: EVENT_PAYLOAD_VERSION };
    assert.deepEqual(readEventPayload(stored), { type: 'lookup.found', at: AT, company });
  });

  it('reads a payload without a version as version 1 and upgrades it', () => {
    assert.deepEqual(readEventPayload({ type: 'user.text', at: AT, text: 'hi' }), {
      type: 'user.text',
      at: AT,
      text: 'hi',
    });
    assert.deepEqual(readEventPayload({ type: 'lookup.found', at: AT, company }), {
      type: 'lookup.found',
      at: AT,
      company,
    });
  });

  it('hands a version 1 lookup with a status or type it does not know to a person', () => {
    for (const odd of [{ status: 'in liquidation' }, { enterpriseType: 'trust' }]) {
      const event = readEventPayload({ type: 'lookup.found', at: AT, company: { ...company, ...odd }, v: 1 });
      assert.equal(event.type, 'lookup.needsPerson');
      assert.equal(
        event.type === 'lookup.needsPerson' && event.registrationNumber,
        company.registrationNumber,
      );
    }
  });

  it('refuses what it cannot read rather than guess', () => {
    assert.throws(
      () => readEventPayload({ type: 'user.text', at: AT, v: EVENT_PAYLOAD_VERSION + 1 }),
      /newer/,
    );
    assert.throws(() => readEventPayload({ at: AT }), /without a type/);
    assert.throws(() => readEventPayload({ type: 'user.text', v: 'two' }), /version two/);
  });
});
