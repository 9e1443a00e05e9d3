import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import type { AisensySandboxKnobs, SandboxTemplate } from './create-aisensy-world.js';
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
    await h.waitForEnvelope((e) => e.data.message.messageId === wamid && e.data.message.status === 'read');
    const statuses = h.accepted
      .filter((e) => e.topic === 'message.status.updated' && e.data.message.messageId === wamid)
      .map((e) => e.data.message.status);
    assert.deepEqual(statuses, ['sent', 'delivered', 'read']);
    assert.equal(h.control.outbound(USER)[0]?.status, 'read');
  });

  it('in phone mode, delivers when the phone fetches and reads when the page reports it visible', async () => {
    const h = await start();
    await h.control.sendFromUser({ phone: USER, text: 'hi' });
    const wamid = (await sendSession(h, text('hello'))).body.messages[0].id;
    await h.waitForEnvelope((e) => e.data.message.messageId === wamid && e.data.message.status === 'sent');
    await fetch(`${h.baseUrl}/sandbox/phone/api/messages?phone=${USER}`);
    await h.waitForEnvelope(
      (e) => e.data.message.messageId === wamid && e.data.message.status === 'delivered',
    );
    await fetch(`${h.baseUrl}/sandbox/phone/api/read`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ phone: `+${USER}` }),
    });
    await h.waitForEnvelope((e) => e.data.message.messageId === wamid && e.data.message.status === 'read');
  });

  it('can send status events newest first', async () => {
    const h = await start({ knobs: { receipts: 'manual', statusOrder: 'reversed' } });
    await h.control.sendFromUser({ phone: USER, text: 'hi' });
    const wamid = (await sendSession(h, text('hello'))).body.messages[0].id;
    await new Promise((resolve) => setTimeout(resolve, 20));
    h.control.setStatus(wamid, 'read');
    await h.control.idle();
    const statuses = h.accepted
      .filter((e) => e.data.message.messageId === wamid)
      .map((e) => e.data.message.status);
    assert.deepEqual(statuses, ['read', 'delivered', 'sent']);
  });

  it('reports a failed status with 131047 when told to fail, or when the window is closed in failed-status mode', async () => {
    const h = await start({ knobs: { windowViolation: 'failed-status' } });
    const late = await sendSession(h, text('hello'));
    assert.equal(late.status, 200);
    const failed = await h.waitForEnvelope((e) => e.data.message.messageId === late.body.messages[0].id);
    assert.equal(failed.data.message.status, 'failed');
    assert.deepEqual((failed.data.message.failureResponse as { code: number }).code, 131047);

    await h.control.sendFromUser({ phone: USER, text: 'hi' });
    h.control.failNext({ phone: USER, code: 131026 });
    const undeliverable = await sendSession(h, text('hello again'));
    const envelope = await h.waitForEnvelope(
      (e) => e.data.message.messageId === undeliverable.body.messages[0].id,
    );
    assert.equal(envelope.data.message.status, 'failed');
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
  it('posts a signed message.sender.user envelope with the AiSensy fields', async () => {
    const h = await start();
    const sent = await h.control.sendFromUser({ phone: '+27 82 123 4567', text: 'hi', userName: 'Thandi' });
    assert.equal(sent.delivered, true);
    assert.equal(sent.message.status, 'delivered');
    const [envelope] = h.accepted;
    assert.ok(envelope);
    assert.equal(envelope.topic, 'message.sender.user');
    assert.equal(envelope.project_id, HARNESS.projectId);
    assert.equal(envelope.delivery_attempt, 1);
    assert.equal(typeof envelope.id, 'string');
    assert.equal(typeof envelope.created_at, 'number');
    assert.deepEqual(
      { ...envelope.data.message, id: undefined, timestamp: undefined },
      {
        id: undefined,
        timestamp: undefined,
        phone_number: USER,
        userName: 'Thandi',
        messageId: sent.message.wamid,
        sender: 'USER',
        message_type: 'TEXT',
        message_content: { text: 'hi' },
      },
    );
    assert.equal(h.badSignatures(), 0);
  });

  it('retries until a 2xx with delivery_attempt counting up and the same envelope id', async () => {
    const h = await start();
    h.failNextReceives(2);
    const sent = await h.control.sendFromUser({ phone: USER, text: 'hi' });
    assert.equal(sent.delivered, true);
    assert.deepEqual(
      h.attempts.map((a) => [a.envelope.delivery_attempt, a.answered]),
      [
        [1, 500],
        [2, 500],
        [3, 200],
      ],
    );
    assert.equal(new Set(h.attempts.map((a) => a.envelope.id)).size, 1);
  });

  it('gives up after the configured attempts and shows the message as not delivered', async () => {
    const h = await start({ knobs: { webhookAttempts: 3 } });
    h.failNextReceives(10);
    const sent = await h.control.sendFromUser({ phone: USER, text: 'hi' });
    assert.equal(sent.delivered, false);
    assert.equal(sent.message.status, 'failed');
    assert.equal(h.attempts.length, 3);
    assert.deepEqual(
      h.control.deliveries().map((d) => d.status),
      [500, 500, 500],
    );
  });

  it('delivers each webhook twice when asked to, with the same id', async () => {
    const h = await start({ knobs: { duplicateDeliveries: 2 } });
    await h.control.sendFromUser({ phone: USER, text: 'hi' });
    assert.equal(h.accepted.length, 2);
    assert.equal(h.accepted[0]?.id, h.accepted[1]?.id);
  });

  it('sends a tapped button as QUICK_REPLY, or in the Cloud API shape, with the offering message as context', async () => {
    const h = await start();
    await h.control.sendFromUser({ phone: USER, text: 'hi' });
    const offered = (await sendSession(h, buttons(['Yes', 'No']))).body.messages[0].id;
    await h.control.sendFromUser({ phone: USER, buttonReply: { id: 'b0', title: 'Yes' } });
    await h.control.sendFromUser({
      phone: USER,
      buttonReply: { id: 'b1', title: 'No' },
      interactiveShape: 'cloud',
    });
    const [, quick, cloud] = h.accepted
      .filter((e) => e.topic === 'message.sender.user')
      .map((e) => e.data.message);
    assert.equal(quick?.message_type, 'QUICK_REPLY');
    assert.deepEqual(quick?.message_content, { text: 'Yes', callbackPayload: 'b0' });
    assert.deepEqual(quick?.context, { id: offered });
    assert.equal(cloud?.message_type, 'INTERACTIVE');
    assert.deepEqual(cloud?.interactive, { type: 'button_reply', button_reply: { id: 'b1', title: 'No' } });
    assert.deepEqual(cloud?.context, { id: offered });
  });

  it('sends list replies as LIST_REPLY, or as interactive.list_reply with the cloud knob', async () => {
    const h = await start({ knobs: { interactiveReplies: 'cloud' } });
    await h.control.sendFromUser({ phone: USER, listReply: { id: 'r1', title: 'Under R1 million' } });
    h.control.configure({ interactiveReplies: 'aisensy' });
    await h.control.sendFromUser({ phone: USER, listReply: { id: 'r2', title: 'R1m to R10m' } });
    const [cloud, aisensy] = h.accepted.map((e) => e.data.message);
    assert.deepEqual(cloud?.interactive, {
      type: 'list_reply',
      list_reply: { id: 'r1', title: 'Under R1 million' },
    });
    assert.equal(aisensy?.message_type, 'LIST_REPLY');
    assert.deepEqual(aisensy?.message_content, { text: 'R1m to R10m', callbackPayload: 'r2' });
  });

  it('sends media as IMAGE or FILE with url and mimeType', async () => {
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
        ['IMAGE', { url: 'https://x.test/id.jpg', mimeType: 'image/jpeg', caption: 'ID' }],
        ['FILE', { url: 'https://x.test/afs.pdf', mimeType: 'application/pdf' }],
      ],
    );
  });

  it('gives timestamps in seconds by default and in milliseconds when asked', async () => {
    const now = () => new Date('2025-03-01T08:00:00.123Z');
    const h = await start({ now });
    await h.control.sendFromUser({ phone: USER, text: 'a' });
    h.control.configure({ timestampUnit: 'ms' });
    await h.control.sendFromUser({ phone: USER, text: 'b' });
    assert.deepEqual(
      h.accepted.map((e) => [e.created_at, e.data.message.timestamp]),
      [
        [1740816000123, 1740816000],
        [1740816000123, 1740816000123],
      ],
    );
  });

  it('echoes an agent reply as message.created with sender AGENT and shows it on the phone', async () => {
    const h = await start();
    const message = await h.control.agentEcho({ phone: USER, text: 'Hi, Sipho here', agentName: 'Sipho' });
    const echo = await h.waitForEnvelope((e) => e.topic === 'message.created');
    assert.equal(echo.data.message.sender, 'AGENT');
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
