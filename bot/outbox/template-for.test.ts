import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { copy } from '../../flows/conversation/index.js';
import { TEMPLATES } from '../aisensy/templates.js';
import { templateFor } from './template-for.js';

describe('templateFor', () => {
  it('carries a reminder offer, weeks after the last message, whole in the update template', () => {
    const offer = copy.reminderOffer({
      kind: 'annualReturnOpens',
      registrationNumber: '2019/123456/07',
      companyName: 'ACME TRADING (PTY) LTD',
      annualReturn: { year: 2027, opens: '2027-03-14', due: '2027-04-29' },
    });
    const template = templateFor('+27821234567', 'Thandi', offer);
    assert.equal(template.campaignName, TEMPLATES.update.campaignName);
    assert.equal(template.destination, '+27821234567', 'E.164 with its +, or AiSensy sends it to India');
    assert.equal(template.templateParams.length, TEMPLATES.update.paramCount);
    const [name, body] = template.templateParams;
    assert.equal(name, 'Thandi');
    // The buttons become words the owner can type back, which the machine reads as the taps.
    assert.match(
      body ?? '',
      /^The reminder you asked for: the 2027 annual return for ACME TRADING \(PTY\) LTD \(2019\/123456\/07\) opened at CIPC on 14 March 2027 and is due by 29 April 2027\. Shall I file it for you now\? Reply with: File now \/ Not now\.$/,
    );
  });
});
