import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ACME, ACME_NO_BO, converse, FAS_LINE, ofType, repliesOf, textOf } from './conversation-fixtures.js';

const THANDI = { agentId: 'agent-1', agentName: 'Thandi Mokoena' };

/** An owner at the turnover question, then taken over by Thandi. */
function heldAtTurnover() {
  const chat = converse();
  chat.say('hi');
  chat.say('I agree');
  chat.say(ACME.registrationNumber);
  chat.send({ type: 'lookup.found', company: ACME });
  chat.say('yes');
  const joined = chat.send({ type: 'agent.joined', ...THANDI });
  return { chat, joined };
}

describe('conversation machine: a person holds the chat', () => {
  it('tells the owner a person joined, by first name only', () => {
    const { chat, joined } = heldAtTurnover();
    assert.equal(chat.snapshot.value, 'heldByAgent');
    assert.match(textOf(joined), /^Thandi joined\./);
    assert.doesNotMatch(textOf(joined), /Mokoena/);
  });

  it('says nothing to whatever the owner writes, commands included', () => {
    const { chat } = heldAtTurnover();
    for (const text of ['R2 million', 'help', 'status', 'agent', 'menu', 'restart', 'banana'])
      assert.deepEqual(chat.say(text), [], text);
    assert.deepEqual(chat.send({ type: 'user.media', kind: 'image' }), []);
    assert.equal(chat.snapshot.value, 'heldByAgent');
  });

  it("relays the agent's message as theirs, template included", () => {
    const { chat } = heldAtTurnover();
    const message = { text: 'Hi, Thandi here.', template: { name: 'cipc_agent_update', params: ['A', 'B'] } };
    const sent = chat.send({ type: 'agent.message', ...THANDI, message });
    assert.deepEqual(sent, [{ type: 'sendAgentMessage', ...THANDI, message }]);
    assert.deepEqual(repliesOf(sent), [], 'not a bot reply');
  });

  it('resumes where the owner was on hand-back, asking the question again', () => {
    const { chat } = heldAtTurnover();
    chat.say('what does turnover mean?');
    const back = chat.send({ type: 'agent.released', mode: 'resume' });
    assert.match(textOf(back), /back with the CIPC Agent bot/);
    assert.match(textOf(back), /Annual return for 2026/);
    assert.equal(chat.step, 'askTurnover');
    assert.equal(chat.snapshot.context.agent, undefined);
    // The bot answers again.
    chat.say('about 2 million');
    assert.equal(chat.step, 'askFas');
  });

  it('reads a hand-back without a mode (older payloads) as resume', () => {
    const { chat } = heldAtTurnover();
    chat.send({ type: 'agent.released' });
    assert.equal(chat.step, 'askTurnover');
  });

  it('starts the filing afresh on a restart hand-back, keeping the consent', () => {
    const { chat } = heldAtTurnover();
    const back = chat.send({ type: 'agent.released', mode: 'restart' });
    assert.match(textOf(back), /back with the CIPC Agent bot/);
    assert.equal(chat.step, 'askRegistration');
    assert.equal(chat.snapshot.context.company, undefined);
    assert.ok(chat.snapshot.context.consent);
  });

  it('stays held through a payment, tells it, and resumes at the filing', () => {
    const { chat } = heldAtTurnover();
    chat.send({ type: 'agent.released' });
    chat.say('about 2 million');
    chat.say(FAS_LINE);
    chat.say('thandi@acme.co.za');
    chat.say('Pay now');
    chat.send({
      type: 'order.created',
      orderId: 'order-1',
      reference: 'CA-1',
      payUrl: 'https://pay.example/p',
      expiresAt: '2026-11-28T09:00:00Z',
    });
    chat.send({ type: 'agent.joined', ...THANDI });
    const paid = chat.send({
      type: 'payment.confirmed',
      orderId: 'order-1',
      provider: 'payfast',
      amountCents: 1,
    });
    assert.match(textOf(paid), /R0\.01/);
    assert.equal(chat.snapshot.value, 'heldByAgent');
    assert.deepEqual(chat.say('thanks'), []);
    const back = chat.send({ type: 'agent.released' });
    assert.equal(chat.step, 'filing');
    assert.match(textOf(back), /filing is in progress/);
  });

  it('only mentions a reminder that comes due meanwhile', () => {
    const { chat } = heldAtTurnover();
    const due = chat.send({
      type: 'reminder.due',
      reminder: {
        kind: 'annualReturnOpens',
        registrationNumber: ACME.registrationNumber,
        companyName: ACME.name,
        annualReturn: { year: 2027, opens: '2027-03-14', due: '2027-04-29' },
      },
    });
    assert.ok(repliesOf(due).length > 0);
    assert.equal(chat.snapshot.value, 'heldByAgent');
  });

  it('names the new person when the chat is handed to them, and stays held', () => {
    const { chat } = heldAtTurnover();
    const handed = chat.send({
      type: 'agent.assigned',
      agentId: 'a2',
      agentName: 'Sipho Dlamini',
      reason: 'CCs',
    });
    assert.match(textOf(handed), /^Sipho joined\./);
    assert.equal(chat.snapshot.value, 'heldByAgent');
  });

  it('says nothing of an assignment while the bot has the chat', () => {
    const chat = converse();
    chat.say('hi');
    assert.deepEqual(
      chat.send({ type: 'agent.assigned', agentId: 'a2', agentName: 'Sipho Dlamini', reason: 'CCs' }),
      [],
    );
  });

  it('takes a hold from AiSensy’s inbox silently (the agent’s own message greets the owner)', () => {
    const chat = converse();
    chat.say('hi');
    assert.deepEqual(chat.send({ type: 'agent.joined' }), []);
    assert.equal(chat.snapshot.value, 'heldByAgent');
    assert.deepEqual(chat.say('hello?'), []);
  });

  it('looks the company up afresh when the person who was asked about a BO declaration hands back', () => {
    const chat = converse();
    chat.say('hi');
    chat.say('I agree');
    chat.say(ACME_NO_BO.registrationNumber);
    chat.send({ type: 'lookup.found', company: ACME_NO_BO });
    chat.say('yes');
    assert.equal(chat.step, 'withAgent');
    chat.send({ type: 'agent.joined', ...THANDI });
    const back = chat.send({ type: 'agent.released', mode: 'resume' });
    assert.equal(ofType(back, 'lookupCompany').length, 1);
    assert.equal(chat.snapshot.context.agentRequested, false);
  });

  it('still honours STOP while held: the opt-out is recorded and the chat stays with the person', () => {
    const { chat } = heldAtTurnover();
    const stopped = chat.say('stop');
    assert.deepEqual(ofType(stopped, 'setOptOut'), [{ type: 'setOptOut', optedOut: true }]);
    assert.equal(chat.step, 'optedOut');
    assert.ok(chat.snapshot.context.agent);
    assert.deepEqual(chat.send({ type: 'agent.message', ...THANDI, message: { text: 'Hi' } }), []);
    chat.send({ type: 'agent.released' });
    assert.equal(chat.snapshot.context.agent, undefined);
    assert.equal(chat.step, 'optedOut');
  });

  it('holds an opted-out chat without a word to the owner', () => {
    const chat = converse();
    chat.say('hi');
    chat.say('stop');
    assert.deepEqual(chat.send({ type: 'agent.joined', ...THANDI }), []);
    assert.deepEqual(chat.send({ type: 'agent.message', ...THANDI, message: { text: 'Hi' } }), []);
    assert.deepEqual(chat.send({ type: 'agent.released' }), []);
    assert.equal(chat.step, 'optedOut');
  });
});
