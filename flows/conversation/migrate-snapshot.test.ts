import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { createActor, transition } from 'xstate';
import { commandsOf } from './commands-of.js';
import { ACME, converse, INPUT, NOW, textOf } from './conversation-fixtures.js';
import { conversationMachine, MACHINE_VERSION } from './conversation-machine.js';
import { migrateSnapshot } from './migrate-snapshot.js';

/** Snapshots captured from released machines, as the database holds them: `snapshots/v<version>/*.json`. */
const SNAPSHOTS = new URL('./snapshots/', import.meta.url);
const released = (version: number, name: string) =>
  JSON.parse(readFileSync(new URL(`v${version}/${name}.json`, SNAPSHOTS), 'utf8')) as unknown;

function persistedMidJourney() {
  const chat = converse();
  chat.say('hi');
  chat.say('I agree');
  chat.say(ACME.registrationNumber);
  chat.send({ type: 'lookup.found', company: ACME });
  return JSON.parse(JSON.stringify(conversationMachine.getPersistedSnapshot(chat.snapshot))) as unknown;
}

/** The migrated snapshot, restored, and a way to carry on the conversation from it. */
function carryOn(persisted: unknown, version: number) {
  const migrated = migrateSnapshot(persisted, version);
  assert.ok(migrated.ok, migrated.ok ? '' : migrated.reason);
  let { snapshot } = migrated;
  return {
    get snapshot() {
      return snapshot;
    },
    send(event: Parameters<typeof transition<typeof conversationMachine>>[2]) {
      const [next, actions] = transition(conversationMachine, snapshot, event);
      snapshot = next;
      return commandsOf(actions);
    },
  };
}

describe('migrateSnapshot', () => {
  it('restores a persisted snapshot through JSON and carries on with transition()', () => {
    const chat = carryOn(persistedMidJourney(), MACHINE_VERSION);
    const reply = chat.send({ type: 'user.text', text: 'yes', at: NOW });
    assert.equal(chat.snapshot.context.step, 'askTurnover');
    assert.match(textOf(reply), /Annual return for 2026/);
  });

  it('restores into an actor, history included', () => {
    const migrated = migrateSnapshot(persistedMidJourney(), MACHINE_VERSION);
    const actor = createActor(conversationMachine, {
      snapshot: migrated.ok ? migrated.snapshot : undefined,
      input: INPUT,
    });
    actor.start();
    actor.send({ type: 'user.text', text: 'menu', at: NOW });
    actor.send({ type: 'user.choice', id: 'menu.continue', title: 'Continue', at: NOW });
    assert.equal(actor.getSnapshot().context.step, 'confirmCompany');
    actor.stop();
  });

  it('fills context fields a snapshot of the same version does not have yet', () => {
    const persisted = persistedMidJourney() as { context: Record<string, unknown> };
    delete persisted.context.relookupAfterAgent;
    const migrated = migrateSnapshot(persisted, MACHINE_VERSION);
    const context =
      migrated.ok && (migrated.snapshot as unknown as { context: Record<string, unknown> }).context;
    assert.equal(context ? context.relookupAfterAgent : undefined, false);
  });

  it('keeps fixtures of every released version, and carries each to today’s', () => {
    for (let version = 1; version < MACHINE_VERSION; version++) {
      const names = readdirSync(new URL(`v${version}/`, SNAPSHOTS)).filter((file) => file.endsWith('.json'));
      assert.ok(names.length > 0, `no snapshots of version ${version}: capture some before bumping`);
      for (const name of names) carryOn(released(version, name.replace(/\.json$/, '')), version);
    }
  });

  it('carries a v1 owner awaiting payment over: the payment still reaches them', () => {
    const chat = carryOn(released(1, 'awaiting-payment'), 1);
    assert.equal(chat.snapshot.context.step, 'awaitingPayment');
    const status = chat.send({ type: 'user.text', text: 'status', at: NOW });
    assert.match(textOf(status), /waiting for your payment/);
    const paid = chat.send({
      type: 'payment.confirmed',
      orderId: 'order-1',
      provider: 'payfast',
      amountCents: 799_00,
      at: NOW,
    });
    assert.match(textOf(paid), /R799\.00/);
    assert.equal(chat.snapshot.context.step, 'filing');
    assert.equal(chat.snapshot.context.order?.paid, true);
  });

  it('carries a v1 owner at the deregistered company to the same question, now a lookup problem', () => {
    const chat = carryOn(released(1, 'deregistered'), 1);
    assert.deepEqual(chat.snapshot.value, { flow: 'lookupProblem' });
    assert.equal(chat.snapshot.context.step, 'lookupProblem');
    assert.match(textOf(chat.send({ type: 'user.text', text: 'help', at: NOW })), /finally deregistered/);
    chat.send({ type: 'user.choice', id: 'registration.retry', title: 'Another number', at: NOW });
    assert.equal(chat.snapshot.context.step, 'askRegistration');
  });

  it('resumes a v1 owner who left the deregistered company for the menu at that question', () => {
    const chat = carryOn(released(1, 'menu-from-deregistered'), 1);
    assert.equal(chat.snapshot.context.step, 'menu');
    const back = chat.send({ type: 'user.choice', id: 'menu.continue', title: 'Continue', at: NOW });
    assert.equal(chat.snapshot.context.step, 'lookupProblem');
    assert.match(textOf(back), /finally deregistered/);
  });

  it('carries a v1 owner confirming the company on to the turnover', () => {
    const chat = carryOn(released(1, 'confirm-company'), 1);
    chat.send({ type: 'user.text', text: 'yes', at: NOW });
    assert.equal(chat.snapshot.context.step, 'askTurnover');
  });

  it('says why a snapshot cannot be carried: corrupt, or written by a newer bot', () => {
    const corrupt = (persisted: unknown, version = MACHINE_VERSION) => {
      const migrated = migrateSnapshot(persisted, version);
      assert.ok(!migrated.ok && !migrated.newer, JSON.stringify(persisted));
    };
    corrupt(null);
    corrupt({ value: 'gone', context: {}, status: 'active' });
    corrupt(persistedMidJourney(), 0);
    const renamed = persistedMidJourney() as { value: unknown };
    renamed.value = { flow: 'noSuchStep' };
    corrupt(renamed);
    const newer = migrateSnapshot(persistedMidJourney(), MACHINE_VERSION + 1);
    assert.ok(!newer.ok && newer.newer);
  });
});

describe('migrateSnapshot from version 2', () => {
  it('carries a v2 owner waiting for a person to a takeover and hand-back that looks the company up again', () => {
    const chat = carryOn(released(2, 'waiting-for-person-bo-missing'), 2);
    assert.equal(chat.snapshot.value, 'withAgent');
    const joined = chat.send({ type: 'agent.joined', agentId: 'a1', agentName: 'Thandi Mokoena', at: NOW });
    assert.match(textOf(joined), /Thandi joined/);
    const back = chat.send({ type: 'agent.released', mode: 'resume', at: NOW });
    assert.ok(back.some((command) => command.type === 'lookupCompany'));
  });

  it('carries a v2 owner at the FAS question on, unheld', () => {
    const chat = carryOn(released(2, 'ask-fas'), 2);
    assert.equal(chat.snapshot.context.agent, undefined);
    chat.send({ type: 'user.text', text: 'Thandi Mokoena 8001015009087', at: NOW });
    assert.equal(chat.snapshot.context.step, 'askEmail');
  });
});
