import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createActor, transition } from 'xstate';
import { commandsOf } from './commands-of.js';
import { ACME, converse, NOW, textOf } from './conversation-fixtures.js';
import { conversationMachine, MACHINE_VERSION } from './conversation-machine.js';
import { migrateSnapshot } from './migrate-snapshot.js';

function persistedMidJourney() {
  const chat = converse();
  chat.say('hi');
  chat.say('I agree');
  chat.say(ACME.registrationNumber);
  chat.send({ type: 'lookup.found', company: ACME });
  return JSON.parse(JSON.stringify(conversationMachine.getPersistedSnapshot(chat.snapshot))) as unknown;
}

describe('migrateSnapshot', () => {
  it('restores a persisted snapshot through JSON and carries on with transition()', () => {
    const migrated = migrateSnapshot(persistedMidJourney(), MACHINE_VERSION);
    assert.ok(migrated);
    const restored = conversationMachine.resolveState(migrated as never);
    const [next, actions] = transition(conversationMachine, restored, {
      type: 'user.text',
      text: 'yes',
      at: NOW,
    });
    assert.equal(next.context.step, 'askTurnover');
    assert.match(textOf(commandsOf(actions)), /Annual return for 2026/);
  });

  it('restores into an actor, history included', () => {
    const snapshot = migrateSnapshot(persistedMidJourney(), MACHINE_VERSION);
    const actor = createActor(conversationMachine, {
      snapshot,
      input: { phone: '+27821234567', serviceFeeCents: 19900 },
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
    const migrated = migrateSnapshot(persisted, MACHINE_VERSION) as
      | { context: Record<string, unknown> }
      | undefined;
    assert.equal(migrated?.context.relookupAfterAgent, false);
  });

  it('asks for a polite restart when the version or the shape is unknown', () => {
    assert.equal(migrateSnapshot(persistedMidJourney(), MACHINE_VERSION - 1), undefined);
    assert.equal(migrateSnapshot(persistedMidJourney(), MACHINE_VERSION + 1), undefined);
    assert.equal(migrateSnapshot(null, MACHINE_VERSION), undefined);
    assert.equal(
      migrateSnapshot({ value: 'gone', context: {}, status: 'active' }, MACHINE_VERSION),
      undefined,
    );
    const renamed = persistedMidJourney() as { value: unknown };
    renamed.value = { flow: 'noSuchStep' };
    assert.equal(migrateSnapshot(renamed, MACHINE_VERSION), undefined);
  });
});
