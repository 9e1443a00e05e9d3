import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { transition } from 'xstate';
import { getAdjacencyMap, getShortestPaths } from 'xstate/graph';
import { commandsOf } from './commands-of.js';
import type { OutboundMessage } from './conversation-command.js';
import type { ConversationEvent } from './conversation-event.js';
import {
  ACME,
  ACME_DEREGISTERED,
  ACME_NO_BO,
  ACME_NOT_DUE,
  BUSY_BEE_CC,
  type EventWithoutTime,
  FAS_LINE,
  INPUT,
  NOW,
  repliesOf,
} from './conversation-fixtures.js';
import { conversationMachine } from './conversation-machine.js';

const ORDER = 'order-1';
/** Enough kinds of events to walk every state: answers, commands, and what the engine reports. */
const EVENTS: ConversationEvent[] = (
  [
    ...['hi', 'help', 'agent', 'stop', 'start', 'menu', 'restart', 'status', 'banana'].map((text) => ({
      type: 'user.text' as const,
      text,
    })),
    ...['2019/123456/07', '1998/012345/23', '2019/123456/24', '2019/12345678/07', FAS_LINE, 'a@b.co.za'].map(
      (text) => ({ type: 'user.text' as const, text }),
    ),
    ...[
      'consent.agree',
      'consent.privacy',
      'consent.decline',
      'registration.retry',
      'company.yes',
      'company.no',
      'reminder.yes',
      'reminder.no',
      'reminder.fileNow',
      'reminder.notNow',
      'fas.audited',
      'email.keep',
      'email.change',
      'summary.pay',
      'summary.change',
      'change.turnover',
      'change.back',
      'company-under-1m',
      'cc-under-50m',
      'order.newLink',
      'idle.another',
      'menu.continue',
    ].map((id) => ({ type: 'user.choice' as const, id, title: id })),
    { type: 'user.media', kind: 'image' },
    {
      type: 'typebot.intake',
      name: 'Thandi',
      email: 't@acme.co.za',
      registrationNumber: ACME.registrationNumber,
      consent: true,
    },
    ...[ACME, ACME_DEREGISTERED, ACME_NO_BO, ACME_NOT_DUE, BUSY_BEE_CC].map((company) => ({
      type: 'lookup.found' as const,
      company,
    })),
    { type: 'lookup.notFound', registrationNumber: ACME.registrationNumber },
    {
      type: 'order.created',
      orderId: ORDER,
      reference: 'CA-1',
      payUrl: 'https://pay.example/p',
      expiresAt: NOW,
    },
    { type: 'payment.confirmed', orderId: ORDER, provider: 'payfast', amountCents: 100 },
    { type: 'payment.reminderDue', orderId: ORDER },
    { type: 'order.expired', orderId: ORDER },
    { type: 'filing.milestone', orderId: ORDER, milestone: { kind: 'started' } },
    { type: 'filing.milestone', orderId: ORDER, milestone: { kind: 'failed', reason: 'portal' } },
    {
      type: 'filing.milestone',
      orderId: ORDER,
      milestone: {
        kind: 'completed',
        arReferences: ['AR1'],
        certificateUrl: 'https://f/c.pdf',
        certificateFilename: 'c.pdf',
      },
    },
    { type: 'agent.released' },
    { type: 'agent.released', mode: 'restart' },
    // What an agent writes or an assignment changes no state (conversation-machine.held-by-agent.test.ts).
    { type: 'agent.joined', agentId: 'a1', agentName: 'Thandi Mokoena' },
    {
      type: 'reminder.due',
      reminder: {
        kind: 'annualReturnOpens',
        registrationNumber: ACME.registrationNumber,
        companyName: ACME.name,
        annualReturn: { year: 2027, opens: '2027-03-14', due: '2027-04-29' },
      },
    },
  ] satisfies EventWithoutTime[]
).map((event) => ({ ...event, at: NOW }) as ConversationEvent);

type Snapshot = ReturnType<typeof transition<typeof conversationMachine>>[0];

/** What tells two states apart for the walk: where the owner is and the facts that choose the next step. */
function serializeState(snapshot: Snapshot): string {
  const { context } = snapshot;
  // A reminder's offer either starts a fresh lookup, which keeps only the facts below, or resumes through the
  // flow's history as the menu does, and the menu is walked from every journey already: telling offers apart
  // by journey too would walk all of those states a second time.
  if (snapshot.value === 'reminderOffer') {
    const kept = [context.order?.paid, context.agentRequested, context.relookupAfterAgent];
    return JSON.stringify([snapshot.value, ...kept, context.misunderstandings]);
  }
  // Held by a person, the owner's words change nothing: what the hand-back resumes is the step (and the
  // facts that choose among resumes), so one held snapshot per step walks every way back to the bot.
  if (snapshot.value === 'heldByAgent') {
    const kept = [context.step, context.consent !== undefined, context.order?.paid, context.order?.expired];
    return JSON.stringify([snapshot.value, ...kept, context.agentRequested, context.relookupAfterAgent]);
  }
  return JSON.stringify([
    snapshot.value,
    context.step,
    context.consent !== undefined,
    context.company?.registrationNumber,
    context.company?.status,
    context.company?.boYear,
    context.years.length,
    context.yearIndex,
    context.fas !== undefined,
    context.email !== undefined,
    context.order && [context.order.paid, context.order.expired, context.order.reminded],
    context.orderRequested,
    context.editing,
    context.agentRequested,
    context.relookupAfterAgent,
    context.agent !== undefined,
    context.misunderstandings,
  ]);
}

const options = {
  input: INPUT,
  events: EVENTS,
  serializeState,
  serializeEvent: (e: ConversationEvent) => JSON.stringify(e),
};
const paths = getShortestPaths(conversationMachine, options);
const idOf = (snapshot: Snapshot) =>
  typeof snapshot.value === 'string'
    ? snapshot.value
    : Object.entries(snapshot.value).map(([k, v]) => `${k}.${v}`)[0];

/** One reachable snapshot per state node, the first the walk found. */
const byState = new Map<string, Snapshot>();
for (const path of paths)
  if (!byState.has(idOf(path.state) ?? '')) byState.set(idOf(path.state) ?? '', path.state);

function leafStateIds(): string[] {
  const ids: string[] = [];
  for (const [key, node] of Object.entries(conversationMachine.root.states)) {
    const children = Object.entries(node.states).filter(([, child]) => child.type !== 'history');
    if (children.length === 0) ids.push(key);
    for (const [childKey] of children) ids.push(`${key}.${childKey}`);
  }
  return ids.sort();
}

describe('conversation machine as a graph', () => {
  it('reaches every state', () => {
    assert.deepEqual([...byState.keys()].sort(), leafStateIds());
  });

  // A person holds the chat there: they read and answer whatever the owner writes (tested below).
  for (const [id, snapshot] of [...byState].sort().filter(([id]) => id !== 'heldByAgent')) {
    it(`${id}: answers help and agent with a reply`, () => {
      assert.notEqual(snapshot.status, 'done');
      for (const text of ['help', 'agent']) {
        const [, actions] = transition(conversationMachine, snapshot, { type: 'user.text', text, at: NOW });
        assert.ok(repliesOf(commandsOf(actions)).length > 0, `${id} is silent on ${text}`);
      }
    });
  }

  it('says nothing to anything the owner writes while a person holds the chat, but STOP', () => {
    const held: Snapshot | undefined = byState.get('heldByAgent');
    assert.ok(held);
    const stop = (e: ConversationEvent) => e.type === 'user.text' && e.text === 'stop';
    for (const event of EVENTS.filter((e) => e.type.startsWith('user.') && !stop(e))) {
      const result: ReturnType<typeof transition<typeof conversationMachine>> = transition(
        conversationMachine,
        held as Snapshot,
        event,
      );
      assert.deepEqual(commandsOf(result[1]), [], JSON.stringify(event));
      assert.equal(result[0].value, 'heldByAgent');
    }
  });

  it('asks for a person whenever the owner writes agent, except when opted out, already waiting or held', () => {
    for (const [id, snapshot] of byState) {
      const [, actions] = transition(conversationMachine, snapshot, {
        type: 'user.text',
        text: 'agent',
        at: NOW,
      });
      const requested = commandsOf(actions).some((command) => command.type === 'requestAgent');
      const expected = id !== 'optedOut' && id !== 'heldByAgent' && !snapshot.context.agentRequested;
      assert.equal(requested, expected, id);
    }
  });

  it('keeps every message it can send within WhatsApp limits', () => {
    const messages: OutboundMessage[] = [];
    const adjacency = getAdjacencyMap(conversationMachine, options);
    for (const { state } of Object.values(adjacency)) {
      for (const event of EVENTS)
        messages.push(...repliesOf(commandsOf(transition(conversationMachine, state, event)[1])));
    }
    assert.ok(messages.length > 500, `only ${messages.length} messages checked`);
    for (const message of messages) assertWithinLimits(message);
  });
});

function assertWithinLimits(message: OutboundMessage): void {
  const show = JSON.stringify(message).slice(0, 120);
  switch (message.kind) {
    case 'text':
    case 'link':
      assert.ok(message.text.length > 0 && message.text.length <= 4096, show);
      return;
    case 'buttons':
      // Interactive bodies are limited to 1024 characters.
      assert.ok(message.text.length <= 1024, show);
      assert.ok(message.buttons.length >= 1 && message.buttons.length <= 3, show);
      for (const button of message.buttons)
        assert.ok(button.title.length <= 20, `${button.title} in ${show}`);
      assert.equal(new Set(message.buttons.map((b) => b.id)).size, message.buttons.length, show);
      return;
    case 'list':
      assert.ok(message.text.length <= 1024 && message.button.length <= 20, show);
      assert.ok(message.rows.length >= 1 && message.rows.length <= 10, show);
      for (const row of message.rows) {
        assert.ok(row.title.length <= 24, `${row.title} in ${show}`);
        assert.ok((row.description ?? '').length <= 72, `${row.description} in ${show}`);
      }
      return;
    case 'document':
      assert.ok((message.caption ?? '').length <= 1024 && message.filename.length > 0, show);
      return;
  }
}
