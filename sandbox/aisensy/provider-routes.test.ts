import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import type { SandboxTemplate } from './create-aisensy-world.js';
import { type AisensyHarness, HARNESS, startAisensyHarness } from './start-aisensy-harness.js';

const USER = '27821234567';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const templates: SandboxTemplate[] = [
  {
    name: 'payment_reminder',
    body: 'Hi {{1}}, your CIPC filing for {{2}} is waiting for payment.',
    buttons: ['Pay now'],
  },
  { name: 'certificate_ready', body: 'Your certificate for {{1}} is ready.', media: 'document' },
];

let harness: AisensyHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

async function sendCampaign(body: Record<string, unknown>) {
  harness ??= await startAisensyHarness({ templates });
  const response = await fetch(`${harness.apiUrl}/campaign/t1/api/v2`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ apiKey: HARNESS.apiKey, userName: 'Thandi', ...body }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown>, harness };
}

describe('the campaign (template) API', () => {
  it('answers success as the string "true" with a UUID of its own, never the wamid the phone shows', async () => {
    const { status, body, harness } = await sendCampaign({
      campaignName: 'payment_reminder',
      destination: `+${USER}`,
      templateParams: ['Thandi', 'ACME (PTY) LTD'],
    });
    assert.equal(status, 200);
    assert.equal(body.success, 'true');
    assert.match(String(body.submitted_message_id), UUID);
    const shown = await harness.control.nextOutbound(USER);
    assert.notEqual(shown.wamid, body.submitted_message_id);
    assert.match(shown.wamid, /^wamid\./);
    assert.deepEqual(shown.content, {
      type: 'template',
      campaignName: 'payment_reminder',
      text: 'Hi Thandi, your CIPC filing for ACME (PTY) LTD is waiting for payment.',
      params: ['Thandi', 'ACME (PTY) LTD'],
      buttons: [{ id: 'Pay now', title: 'Pay now' }],
    });
  });

  it('delivers a number it cannot place to India: ten digits without + go to +91', async () => {
    const { status, harness } = await sendCampaign({
      campaignName: 'payment_reminder',
      destination: '0821234567',
      templateParams: ['a', 'b'],
    });
    assert.equal(status, 200);
    assert.equal(harness.control.outbound('91821234567').length, 1);
    assert.equal(harness.control.outbound(USER).length, 0);
    await sendCampaign({
      campaignName: 'payment_reminder',
      destination: '8212345678',
      templateParams: ['a', 'b'],
    });
    assert.equal(harness.control.outbound('918212345678').length, 1);
    await sendCampaign({
      campaignName: 'payment_reminder',
      destination: '+27 82 123 4567',
      templateParams: ['a', 'b'],
    });
    assert.equal(harness.control.outbound(USER).length, 1, 'with its + the number goes where it says');
  });

  it('refuses as AiSensy does: 401 for the key, 400 {message} for the campaign, the number and the params', async () => {
    const wrongKey = await sendCampaign({ apiKey: 'nope', campaignName: 'payment_reminder' });
    assert.equal(wrongKey.status, 401);
    assert.equal(wrongKey.body.errorMessage, 'Invalid API Key');
    assert.equal(wrongKey.body.success, undefined);
    const base = { destination: `+${USER}` };
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ campaignName: 'nope', templateParams: [] }, /^Campaign does not exist\.$/],
      [
        { campaignName: 'payment_reminder', destination: '+12', templateParams: ['a', 'b'] },
        /^Invalid Number$/,
      ],
      [{ campaignName: 'payment_reminder', templateParams: ['Thandi'] }, /expected 2, got 1/],
      [
        { campaignName: 'payment_reminder', templateParams: ['Thandi', 'ACME', 'extra'] },
        /expected 2, got 3/,
      ],
      [{ campaignName: 'certificate_ready', templateParams: ['ACME'] }, /needs media/],
      [{ campaignName: 'payment_reminder', userName: ' ', templateParams: ['a', 'b'] }, /userName/],
    ];
    for (const [body, message] of cases) {
      const response = await sendCampaign({ ...base, ...body });
      assert.equal(response.status, 400, JSON.stringify(body));
      assert.match(String(response.body.message), message);
    }
    assert.equal(harness?.control.outbound(USER).length, 0);
  });

  it('takes templates registered later through control, with media', async () => {
    harness = await startAisensyHarness();
    harness.control.registerTemplate({ name: 'welcome_back', body: 'Welcome back {{1}}', media: 'image' });
    const response = await sendCampaign({
      campaignName: 'welcome_back',
      destination: `+${USER}`,
      templateParams: ['Thandi'],
      media: { url: 'https://x.test/a.png', filename: 'a.png' },
    });
    assert.equal(response.status, 200);
    const shown = harness.control.outbound(USER)[0]?.content;
    assert.equal(shown?.type === 'template' && shown.media?.url, 'https://x.test/a.png');
  });
});
