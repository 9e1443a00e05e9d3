import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { type AisensySandboxKnobs, DEFAULT_KNOBS, type SandboxTemplate } from './create-aisensy-world.js';
import { type AisensyHarness, HARNESS, startAisensyHarness } from './start-aisensy-harness.js';

const USER = '27821234567';

/** The fields these tests read from either API's answer; absent ones fail the assertions that read them. */
interface Answer {
  error: { code: number; type: string; message: string; error_data: { details: string } };
  messages: [{ id: string }];
  contacts: [{ wa_id: string }];
  success: boolean;
}
let harness: AisensyHarness | undefined;

async function start(
  options: { knobs?: Partial<AisensySandboxKnobs>; templates?: SandboxTemplate[]; now?: () => Date } = {},
) {
  harness = await startAisensyHarness(options);
  return harness;
}

afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

async function sendSession(
  h: AisensyHarness,
  body: unknown,
  pwd = HARNESS.projectApiPwd,
  project = HARNESS.projectId,
) {
  const response = await fetch(`${h.apiUrl}/project-apis/v1/project/${project}/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-aisensy-project-api-pwd': pwd },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Answer };
}

const text = (body: string, to = USER) => ({
  messaging_product: 'whatsapp',
  to,
  type: 'text',
  text: { body },
});
const buttons = (titles: string[]) => ({
  messaging_product: 'whatsapp',
  to: USER,
  type: 'interactive',
  interactive: {
    type: 'button',
    body: { text: 'Is this ACME (PTY) LTD?' },
    action: { buttons: titles.map((title, i) => ({ type: 'reply', reply: { id: `b${i}`, title } })) },
  },
});
const list = (rows: { id: string; title: string; description?: string }[]) => ({
  messaging_product: 'whatsapp',
  to: USER,
  type: 'interactive',
  interactive: {
    type: 'list',
    body: { text: 'Turnover?' },
    action: { button: 'Choose', sections: [{ rows }] },
  },
});
const rows = (count: number) => Array.from({ length: count }, (_, i) => ({ id: `r${i}`, title: `Row ${i}` }));

describe('session messages API', () => {
  it('answers 401 in the Cloud API error shape for a wrong project password', async () => {
    const h = await start();
    const { status, body } = await sendSession(h, text('hello'), 'wrong');
    assert.equal(status, 401);
    assert.equal(body.error.code, 190);
    assert.equal(body.error.type, 'OAuthException');
  });

  it('answers 404 for another project id', async () => {
    const h = await start();
    assert.equal((await sendSession(h, text('hello'), HARNESS.projectApiPwd, 'other')).status, 404);
  });

  it('rejects a free-form message with 131047 until the user has written within 24 hours', async () => {
    let clock = new Date('2025-03-01T08:00:00Z');
    const h = await start({ now: () => clock });
    const closed = await sendSession(h, text('hello'));
    assert.equal(closed.status, 400);
    assert.equal(closed.body.error.code, 131047);
    assert.match(closed.body.error.message, /Re-engagement message/);

    await h.control.sendFromUser({ phone: `+${USER}`, text: 'hi' });
    const open = await sendSession(h, text('hello'));
    assert.equal(open.status, 200);
    assert.match(open.body.messages[0].id, /^wamid\./);
    assert.equal(open.body.contacts[0].wa_id, USER);

    clock = new Date(clock.getTime() + 24 * 3600 * 1000 + 1000);
    assert.equal((await sendSession(h, text('late'))).body.error.code, 131047);
  });

  const tooLong = (n: number) => 'x'.repeat(n);
  const invalid: [string, Record<string, unknown>, number][] = [
    ['text over 4096 characters', text(tooLong(4097)), 131009],
    ['an empty text', text(''), 131008],
    ['no messaging_product', { to: USER, type: 'text', text: { body: 'x' } }, 100],
    ['a national number', text('x', '0821234567'), 131009],
    ['letters in the number', text('x', '27abc'), 131009],
    ['four reply buttons', buttons(['a', 'b', 'c', 'd']), 131009],
    ['a button title over 20 characters', buttons([tooLong(21)]), 131009],
    ['duplicate button titles', buttons(['Yes', 'Yes']), 131009],
    ['a list with 11 rows', list(rows(11)), 131009],
    ['a row title over 24 characters', list([{ id: 'a', title: tooLong(25) }]), 131009],
    [
      'a row description over 72 characters',
      list([{ id: 'a', title: 'A', description: tooLong(73) }]),
      131009,
    ],
    [
      'a CTA label over 20 characters',
      {
        messaging_product: 'whatsapp',
        to: USER,
        type: 'interactive',
        interactive: {
          type: 'cta_url',
          body: { text: 'Pay' },
          action: { name: 'cta_url', parameters: { display_text: tooLong(21), url: 'https://x.test/pay' } },
        },
      },
      131009,
    ],
    [
      'a document without link',
      { messaging_product: 'whatsapp', to: USER, type: 'document', document: {} },
      131008,
    ],
    [
      'an unsupported type',
      { messaging_product: 'whatsapp', to: USER, type: 'sticker', sticker: {} },
      131051,
    ],
  ];
  for (const [name, body, code] of invalid) {
    it(`rejects ${name} with code ${code}`, async () => {
      const h = await start();
      await h.control.sendFromUser({ phone: USER, text: 'hi' });
      const response = await sendSession(h, body);
      assert.equal(response.status, 400);
      assert.equal(response.body.error.code, code);
      assert.equal(typeof response.body.error.error_data.details, 'string');
      assert.equal(h.control.outbound(USER).length, 0);
    });
  }

  it('accepts the limits exactly and records what the phone shows', async () => {
    const h = await start();
    await h.control.sendFromUser({ phone: USER, text: 'hi' });
    const accepted = [
      text(tooLong(4096)),
      buttons(['a'.repeat(20), 'b', 'c']),
      list([...rows(9), { id: 'last', title: 'y'.repeat(24), description: 'z'.repeat(72) }]),
      {
        messaging_product: 'whatsapp',
        to: `+${USER}`,
        type: 'document',
        document: { link: 'https://x.test/c.pdf', filename: 'c.pdf' },
      },
      {
        messaging_product: 'whatsapp',
        to: USER,
        type: 'image',
        image: { link: 'https://x.test/a.png', caption: 'A' },
      },
    ];
    for (const body of accepted) assert.equal((await sendSession(h, body)).status, 200);
    assert.deepEqual(
      h.control.outbound(USER).map((m) => m.content.type),
      ['text', 'buttons', 'list', 'document', 'image'],
    );
  });

  it('sends sent → delivered → read status webhooks as the phone shows the message', async () => {
    const h = await start({ knobs: { receipts: 'auto', autoReceiptDelayMs: 5 } });
    await h.control.sendFromUser({ phone: USER, text: 'hi' });
    const wamid = (await sendSession(h, text('hello'))).body.messages[0].id;
    await h.waitForEnvelope((e) => e.data.message.messageId === wamid && e.data.message.status === 'READ');
    const statuses = h.accepted
      .filter((e) => e.topic === 'message.status.updated' && e.data.message.messageId === wamid)
      .map((e) => e.data.message.status);
    assert.deepEqual(statuses, ['SENT', 'DELIVERED', 'READ']);
    assert.equal(h.control.outbound(USER)[0]?.status, 'read');
  });

  it('in phone mode, delivers when the phone fetches and reads when the page reports it visible', async () => {
    const h = await start();
    await h.control.sendFromUser({ phone: USER, text: 'hi' });
    const wamid = (await sendSession(h, text('hello'))).body.messages[0].id;
    await h.waitForEnvelope((e) => e.data.message.messageId === wamid && e.data.message.status === 'SENT');
    await fetch(`${h.baseUrl}/sandbox/phone/api/messages?phone=${USER}`);
    await h.waitForEnvelope(
      (e) => e.data.message.messageId === wamid && e.data.message.status === 'DELIVERED',
    );
    await fetch(`${h.baseUrl}/sandbox/phone/api/read`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ phone: `+${USER}` }),
    });
    await h.waitForEnvelope((e) => e.data.message.messageId === wamid && e.data.message.status === 'READ');
  });

  it('can send status events newest first', async () => {
    const h = await start({ knobs: { receipts: 'manual', statusOrder: 'reversed' } });
    await h.control.sendFromUser({ phone: USER, text: 'hi' });
    const wamid = (await sendSession(h, text('hello'))).body.messages[0].id;
    await new Promise((resolve) => setTimeout(resolve, 20));
    h.control.setStatus(wamid, 'read');
    // Newest first, so SENT comes last; waiting for READ alone raced the two behind it.
    await h.waitForEnvelope((e) => e.data.message.messageId === wamid && e.data.message.status === 'SENT');
    const statuses = h.accepted
      .filter((e) => e.data.message.messageId === wamid)
      .map((e) => e.data.message.status);
    assert.deepEqual(statuses, ['READ', 'DELIVERED', 'SENT']);
  });

  it('reports a failed status with 131047 when told to fail, or when the window is closed in failed-status mode', async () => {
    const h = await start({ knobs: { windowViolation: 'failed-status' } });
    const late = await sendSession(h, text('hello'));
    assert.equal(late.status, 200);
    const failed = await h.waitForEnvelope((e) => e.data.message.messageId === late.body.messages[0].id);
    assert.equal(failed.data.message.status, 'FAILED');
    assert.deepEqual((failed.data.message.failureResponse as { code: number }).code, 131047);

    await h.control.sendFromUser({ phone: USER, text: 'hi' });
    h.control.failNext({ phone: USER, code: 131026 });
    const undeliverable = await sendSession(h, text('hello again'));
    const envelope = await h.waitForEnvelope(
      (e) => e.data.message.messageId === undeliverable.body.messages[0].id,
    );
    assert.equal(envelope.data.message.status, 'FAILED');
    assert.equal((envelope.data.message.failureResponse as { code: number }).code, 131026);
  });

  it('marks the user message and earlier ones read through the Cloud API read call', async () => {
    const h = await start({ knobs: { readOnReply: false } });
    const first = await h.control.sendFromUser({ phone: USER, text: 'one' });
    const second = await h.control.sendFromUser({ phone: USER, text: 'two' });
    assert.equal(second.message.status, 'delivered');
    const { status, body } = await sendSession(h, {
      messaging_product: 'whatsapp',
      status: 'read',
      message_id: second.message.wamid,
    });
    assert.equal(status, 200);
    assert.equal(body.success, true);
    assert.deepEqual([first.message.status, second.message.status], ['read', 'read']);
    assert.equal(
      (await sendSession(h, { messaging_product: 'whatsapp', status: 'read', message_id: 'x' })).status,
      400,
    );
  });
});

describe('inbound webhooks', () => {
  /** The AiSensy message object fields every delivery carries, whatever its content. */
  const messageShape = (message: Record<string, unknown>) =>
    Object.fromEntries(
      Object.entries(message).filter(
        ([key]) => !['id', 'contact_id', 'messageId', 'sent_at', 'delivered_at'].includes(key),
      ),
    );

  it('posts a signed message.sender.user envelope with AiSensy fields: ISO created_at, string attempt, nulls, ms times', async () => {
    const at = new Date('2026-11-17T10:17:24.109Z');
    const h = await start({ now: () => at });
    const sent = await h.control.sendFromUser({ phone: '+27 82 123 4567', text: 'hi', userName: 'Thandi' });
    assert.equal(sent.delivered, true);
    assert.equal(sent.message.status, 'delivered');
    const [envelope] = h.accepted;
    assert.ok(envelope);
    assert.equal(envelope.topic, 'message.sender.user');
    assert.equal(envelope.project_id, HARNESS.projectId);
    assert.equal(envelope.delivery_attempt, '1');
    assert.equal(envelope.created_at, '2026-11-17T10:17:24.109Z');
    const message = envelope.data.message;
    assert.match(String(message.id), /^[0-9a-f]{24}$/);
    assert.equal(message.messageId, sent.message.wamid);
    assert.deepEqual([message.sent_at, message.delivered_at], [at.getTime(), at.getTime()]);
    assert.deepEqual(messageShape(message), {
      type: 'message',
      meta_data: [],
      project_id: HARNESS.projectId,
      phone_number: USER,
      campaign: null,
      sender: 'USER',
      message_content: { text: 'hi' },
      message_type: 'TEXT',
      status: 'DELIVERED',
      is_HSM: false,
      chatbot_response: null,
      agent_id: null,
      read_at: null,
      failureResponse: null,
      userName: 'Thandi',
      countryCode: '27',
      submitted_message_id: '',
      message_price: 0,
      deductionType: null,
      mau_details: null,
      whatsapp_conversation_details: null,
      context: null,
    });
    assert.equal(h.badSignatures(), 0);
  });

  it('has AiSensy delivery policy by default: 5 s to answer, one retry after 5 minutes, pause after 100 failures in 20 minutes', async () => {
    const h = await start();
    const { webhookTimeoutMs, webhookRetryDelayMs, webhookDisableAfterFailures, webhookFailureWindowMs } =
      DEFAULT_KNOBS;
    assert.deepEqual(
      [webhookTimeoutMs, webhookRetryDelayMs, webhookDisableAfterFailures, webhookFailureWindowMs],
      [5_000, 300_000, 100, 1_200_000],
    );
    assert.deepEqual(h.control.webhookState(), { status: 'active', failuresInWindow: 0, dropped: 0 });
  });

  it('retries a failed delivery once, after the retry delay, with the same id and delivery_attempt "2"', async () => {
    const h = await start({ knobs: { webhookRetryDelayMs: 300 } });
    h.failNextReceives(1);
    const started = Date.now();
    const sent = await h.control.sendFromUser({ phone: USER, text: 'hi' });
    assert.equal(sent.delivered, true);
    assert.ok(Date.now() - started >= 300, 'the retry waited for the delay');
    assert.deepEqual(
      h.attempts.map((a) => [a.envelope.delivery_attempt, a.answered]),
      [
        ['1', 500],
        ['2', 200],
      ],
    );
    assert.equal(new Set(h.attempts.map((a) => a.envelope.id)).size, 1);
  });

  it('drops a webhook whose retry fails too, and shows the message as not delivered', async () => {
    const h = await start();
    h.failNextReceives(10, 400);
    const sent = await h.control.sendFromUser({ phone: USER, text: 'hi' });
    assert.equal(sent.delivered, false);
    assert.equal(sent.message.status, 'failed');
    assert.deepEqual(
      h.control.deliveries().map((d) => [d.deliveryAttempt, d.status]),
      [
        [1, 400],
        [2, 400],
      ],
    );
  });

  it('counts an answer later than the timeout as a failure and retries it', async () => {
    const h = await start({ knobs: { webhookTimeoutMs: 100 } });
    h.answerSlowly(1, 400);
    const sent = await h.control.sendFromUser({ phone: USER, text: 'hi' });
    assert.equal(sent.delivered, true);
    assert.deepEqual(
      h.control.deliveries().map((d) => [d.deliveryAttempt, d.status]),
      [
        [1, 0],
        [2, 200],
      ],
    );
    assert.equal(h.control.webhookState().failuresInWindow, 1);
  });

  it('pauses the webhook after more failures than allowed within the window, drops what comes meanwhile, and resumes', async () => {
    let clock = new Date('2026-11-17T10:00:00Z');
    const h = await start({
      now: () => clock,
      knobs: { webhookDisableAfterFailures: 3, webhookFailureWindowMs: 60_000, webhookPausedForMs: 600_000 },
    });
    const minutes = (n: number) => {
      clock = new Date(clock.getTime() + n * 60_000);
    };
    h.failNextReceives(1000);
    await h.control.sendFromUser({ phone: USER, text: 'a' });
    minutes(2); // a's two failures leave the window
    await h.control.sendFromUser({ phone: USER, text: 'b' });
    assert.deepEqual(h.control.webhookState(), { status: 'active', failuresInWindow: 2, dropped: 0 });
    await h.control.sendFromUser({ phone: USER, text: 'c' });
    assert.equal(h.control.webhookState().status, 'paused');
    assert.equal(h.control.webhookState().pausedUntil, '2026-11-17T10:12:00.000Z');

    const attempts = h.attempts.length;
    const whilePaused = await h.control.sendFromUser({ phone: USER, text: 'd' });
    assert.equal(whilePaused.delivered, false);
    assert.equal(h.attempts.length, attempts, 'nothing is posted while paused');
    assert.equal(h.control.webhookState().dropped, 1);

    minutes(10);
    h.failNextReceives(0);
    assert.equal((await h.control.sendFromUser({ phone: USER, text: 'e' })).delivered, true);
    assert.deepEqual(h.control.webhookState(), { status: 'active', failuresInWindow: 0, dropped: 1 });
  });

  it('disables the subscription on a 410, without a retry, until it is enabled again', async () => {
    const h = await start();
    h.failNextReceives(1, 410);
    assert.equal((await h.control.sendFromUser({ phone: USER, text: 'a' })).delivered, false);
    assert.deepEqual(
      h.control.deliveries().map((d) => d.status),
      [410],
    );
    assert.equal(h.control.webhookState().status, 'disabled');
    assert.equal((await h.control.sendFromUser({ phone: USER, text: 'b' })).delivered, false);
    assert.equal(h.control.deliveries().length, 1);
    h.control.enableWebhook();
    assert.equal((await h.control.sendFromUser({ phone: USER, text: 'c' })).delivered, true);
  });

  it('delivers each webhook twice when asked to, with the same id', async () => {
    const h = await start({ knobs: { duplicateDeliveries: 2 } });
    await h.control.sendFromUser({ phone: USER, text: 'hi' });
    assert.equal(h.accepted.length, 2);
    assert.equal(h.accepted[0]?.id, h.accepted[1]?.id);
  });

  it('sends a tapped reply button as BUTTON_REPLY with only its title, the id with tapIds, or in the Cloud API shape', async () => {
    const h = await start();
    await h.control.sendFromUser({ phone: USER, text: 'hi' });
    const offered = (await sendSession(h, buttons(['Yes', 'No']))).body.messages[0].id;
    await h.control.sendFromUser({ phone: USER, buttonReply: { id: 'b0', title: 'Yes' } });
    h.control.configure({ tapIds: true });
    await h.control.sendFromUser({ phone: USER, buttonReply: { id: 'b0', title: 'Yes' } });
    await h.control.sendFromUser({
      phone: USER,
      buttonReply: { id: 'b1', title: 'No' },
      interactiveShape: 'cloud',
    });
    const [, titleOnly, withId, cloud] = h.accepted
      .filter((e) => e.topic === 'message.sender.user')
      .map((e) => e.data.message);
    assert.equal(titleOnly?.message_type, 'BUTTON_REPLY');
    assert.deepEqual(titleOnly?.message_content, { title: 'Yes' });
    assert.deepEqual(titleOnly?.context, { from: '27600000000', id: offered });
    assert.deepEqual(withId?.message_content, { title: 'Yes', id: 'b0' });
    assert.equal(cloud?.message_type, 'INTERACTIVE');
    assert.equal(cloud?.message_content, null);
    assert.deepEqual(cloud?.interactive, { type: 'button_reply', button_reply: { id: 'b1', title: 'No' } });
    assert.deepEqual(cloud?.context, { from: '27600000000', id: offered });
  });

  it('sends a tapped list row as LIST_REPLY {title, description}, or as interactive.list_reply with the cloud knob', async () => {
    const h = await start({ knobs: { interactiveReplies: 'cloud' } });
    await h.control.sendFromUser({ phone: USER, listReply: { id: 'r1', title: 'Under R1 million' } });
    h.control.configure({ interactiveReplies: 'aisensy' });
    await h.control.sendFromUser({
      phone: USER,
      listReply: { id: 'r2', title: 'R1m to R10m', description: 'From R1 000 000' },
    });
    const [cloud, aisensy] = h.accepted.map((e) => e.data.message);
    assert.deepEqual(cloud?.interactive, {
      type: 'list_reply',
      list_reply: { id: 'r1', title: 'Under R1 million' },
    });
    assert.equal(aisensy?.message_type, 'LIST_REPLY');
    assert.deepEqual(aisensy?.message_content, { title: 'R1m to R10m', description: 'From R1 000 000' });
  });

  it("sends a tap on a template's quick-reply button as QUICK_REPLY {text, callbackPayload}", async () => {
    const h = await start({ templates: [{ name: 'nudge', body: 'Still there?', buttons: ['Yes please'] }] });
    const campaign = await fetch(`${h.apiUrl}/campaign/t1/api/v2`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        apiKey: HARNESS.apiKey,
        campaignName: 'nudge',
        destination: `+${USER}`,
        userName: 'Thandi',
        templateParams: [],
      }),
    });
    assert.equal(campaign.status, 200);
    await h.control.sendFromUser({ phone: USER, buttonReply: { id: 'Yes please', title: 'Yes please' } });
    const tap = await h.waitForEnvelope((e) => e.topic === 'message.sender.user');
    assert.equal(tap.data.message.message_type, 'QUICK_REPLY');
    assert.deepEqual(tap.data.message.message_content, { text: 'Yes please', callbackPayload: 'Yes please' });
  });

  it('sends media as IMAGE or FILE with url, urlExpiry and mimeType', async () => {
    const h = await start();
    await h.control.sendFromUser({
      phone: USER,
      media: { url: 'https://x.test/id.jpg', mimeType: 'image/jpeg', caption: 'ID' },
    });
    await h.control.sendFromUser({
      phone: USER,
      media: { url: 'https://x.test/afs.pdf', mimeType: 'application/pdf' },
    });
    assert.deepEqual(
      h.accepted.map((e) => [e.data.message.message_type, e.data.message.message_content]),
      [
        ['IMAGE', { url: 'https://x.test/id.jpg', urlExpiry: '', mimeType: 'image/jpeg', caption: 'ID' }],
        ['FILE', { url: 'https://x.test/afs.pdf', urlExpiry: '', mimeType: 'application/pdf' }],
      ],
    );
  });

  it('gives each status its time in milliseconds (sent_at, delivered_at, read_at) and never a timestamp', async () => {
    let clock = new Date('2026-11-17T10:00:00.000Z');
    const h = await start({ now: () => clock, knobs: { receipts: 'manual' } });
    await h.control.sendFromUser({ phone: USER, text: 'hi' });
    const wamid = (await sendSession(h, text('hello'))).body.messages[0].id;
    await h.waitForEnvelope((e) => e.data.message.messageId === wamid);
    clock = new Date('2026-11-17T10:00:02.000Z');
    h.control.setStatus(wamid, 'delivered');
    clock = new Date('2026-11-17T10:00:30.000Z');
    h.control.setStatus(wamid, 'read');
    await h.waitForEnvelope((e) => e.data.message.status === 'READ');
    const statuses = h.accepted
      .filter((e) => e.topic === 'message.status.updated')
      .map((e) => e.data.message);
    const ms = (iso: string) => Date.parse(iso);
    assert.deepEqual(
      statuses.map((m) => [
        m.status,
        m.sent_at,
        m.delivered_at,
        m.read_at,
        m.failureResponse,
        'timestamp' in m,
      ]),
      [
        ['SENT', ms('2026-11-17T10:00:00Z'), null, null, null, false],
        ['DELIVERED', ms('2026-11-17T10:00:00Z'), ms('2026-11-17T10:00:02Z'), null, null, false],
        [
          'READ',
          ms('2026-11-17T10:00:00Z'),
          ms('2026-11-17T10:00:02Z'),
          ms('2026-11-17T10:00:30Z'),
          null,
          false,
        ],
      ],
    );
    assert.deepEqual(
      statuses.map((m) => [m.sender, m.message_type, m.message_content]),
      Array(3).fill(['API', 'TEXT', { text: 'hello' }]),
    );
  });

  it('echoes an agent reply as message.created with sender AGENT and shows it on the phone', async () => {
    const h = await start();
    const message = await h.control.agentEcho({ phone: USER, text: 'Hi, Sipho here', agentName: 'Sipho' });
    const echo = await h.waitForEnvelope((e) => e.topic === 'message.created');
    assert.equal(echo.data.message.sender, 'AGENT');
    assert.equal(echo.data.message.status, 'SENT');
    assert.match(String(echo.data.message.agent_id), /^[0-9a-f]{24}$/);
    assert.equal(echo.data.message.messageId, message.wamid);
    assert.deepEqual(echo.data.message.message_content, { text: 'Hi, Sipho here' });
    assert.equal(h.control.outbound(USER)[0]?.via, 'agent');
  });
});

describe('control', () => {
  it('hands out each outbound message once, waiting for the next one', async () => {
    const h = await start();
    await h.control.sendFromUser({ phone: USER, text: 'hi' });
    const waiting = h.control.nextOutbound(USER, 2000);
    await sendSession(h, text('first'));
    await sendSession(h, text('second'));
    assert.deepEqual((await waiting).content, { type: 'text', text: 'first' });
    assert.deepEqual((await h.control.nextOutbound(USER)).content, { type: 'text', text: 'second' });
    await assert.rejects(h.control.nextOutbound(USER, 50), /no message/);
  });
});

describe('phone page API', () => {
  it('serves the page and lets the phone send, read and list phones', async () => {
    const h = await start();
    const page = await fetch(`${h.baseUrl}/sandbox/phone`);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type') ?? '', /text\/html/);
    assert.match(await page.text(), /<label for="message"/);
    assert.equal((await fetch(`${h.baseUrl}/sandbox/phone/app.js`)).status, 200);
    assert.equal((await fetch(`${h.baseUrl}/sandbox/phone/app.css`)).status, 200);

    const post = (path: string, body: unknown) =>
      fetch(`${h.baseUrl}/sandbox/phone/api/${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    assert.equal((await post('send', { phone: '0821234567', text: 'hi' })).status, 400);
    assert.equal((await post('send', { phone: USER })).status, 400);
    const sent = (await (
      await post('send', { phone: `+${USER}`, userName: 'Thandi', text: 'hi' })
    ).json()) as {
      wamid: string;
    };
    await h.waitForEnvelope((e) => e.data.message.messageId === sent.wamid);

    const chat = (await (await fetch(`${h.baseUrl}/sandbox/phone/api/messages?phone=${USER}`)).json()) as {
      userName: string;
      messages: { wamid: string; from: string; status: string }[];
    };
    assert.equal(chat.userName, 'Thandi');
    assert.deepEqual(
      chat.messages.map((m) => [m.wamid, m.from, m.status]),
      [[sent.wamid, 'user', 'delivered']],
    );
    assert.equal((await fetch(`${h.baseUrl}/sandbox/phone/api/messages?phone=abc`)).status, 400);
    assert.equal((await post('read', { phone: USER })).status, 200);
    const phones = (await (await fetch(`${h.baseUrl}/sandbox/phone/api/phones`)).json()) as unknown;
    assert.deepEqual(phones, { phones: [{ phone: USER, userName: 'Thandi' }] });
  });
});
