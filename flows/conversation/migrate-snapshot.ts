import { createActor, type SnapshotFrom } from 'xstate';
import { initialContext } from './conversation-context.js';
import { conversationMachine, MACHINE_VERSION } from './conversation-machine.js';

/** A persisted snapshot as the database holds it (JSON): state value, remembered history, context. */
interface Persisted {
  status: 'active';
  value: unknown;
  historyValue?: Record<string, { id: string }[]>;
  context: Record<string, unknown>;
}

export type MigratedSnapshot =
  | { ok: true; snapshot: SnapshotFrom<typeof conversationMachine> }
  /** `newer`: written by a later version of the bot (a replica of it applies it); else it is corrupt. */
  | { ok: false; newer: boolean; reason: string };

/**
 * Step n carries a snapshot written by machine version n to version n + 1. Each step is frozen once
 * released: a snapshot may wait for months (an unpaid link, a reminder), so it climbs every step from
 * its own version to today's, in order. A version bump without its step here fails the test beside this.
 */
const STEPS: Readonly<Record<number, (snapshot: Persisted) => Persisted>> = {
  1: deregisteredIsALookupProblem,
  // 2 → 3 adds `heldByAgent` and `context.agent`: a version 2 snapshot is never held, and restores as it is.
  2: (snapshot) => snapshot,
};

/**
 * A persisted snapshot, written by the machine of `version`, carried step by step to this version and
 * checked to restore; or why it cannot be carried. Within one version, context fields added later get
 * their defaults, so adding an optional field needs no version bump; renaming a state or changing a
 * field's meaning does, with a step in `STEPS`.
 */
export function migrateSnapshot(persisted: unknown, version: number): MigratedSnapshot {
  if (version > MACHINE_VERSION) {
    return {
      ok: false,
      newer: true,
      reason: `written by machine version ${version}, this is ${MACHINE_VERSION}`,
    };
  }
  const corrupt = (reason: string): MigratedSnapshot => ({ ok: false, newer: false, reason });
  if (!Number.isInteger(version) || version < 1) return corrupt(`no machine version ${version}`);
  if (!isPersisted(persisted)) return corrupt('not a snapshot');
  let current = persisted;
  for (let from = version; from < MACHINE_VERSION; from++) {
    const step = STEPS[from];
    if (!step) return corrupt(`no step from machine version ${from}`);
    current = step(current);
  }
  const { phone, serviceFeeCents } = current.context;
  if (typeof phone !== 'string' || typeof serviceFeeCents !== 'number') return corrupt('no phone or fee');
  const persistedNow = {
    ...current,
    children: {},
    output: undefined,
    error: undefined,
    context: { ...initialContext({ phone, serviceFeeCents }), ...current.context },
  };
  try {
    // Throws when the state value names a state this machine does not have.
    conversationMachine.resolveState(persistedNow as never);
  } catch (err) {
    return corrupt(`does not restore: ${err instanceof Error ? err.message : String(err)}`);
  }
  // Restored through an actor (never started), which revives the history's state nodes from their ids:
  // `resolveState` leaves them as JSON, and a later "continue" or hand-back would then fail.
  const snapshot = createActor(conversationMachine, {
    snapshot: persistedNow as never,
    input: { phone, serviceFeeCents },
  }).getSnapshot();
  if (snapshot.status !== 'active') return corrupt(`restores as ${snapshot.status}`);
  return { ok: true, snapshot };
}

/**
 * 1 → 2: the `deregistered` state was a dead end like `lookupProblem`, with the same answers; it is now
 * `lookupProblem` with problem 'deregistered'. Whoever is there, or left it for the menu or a person
 * (the history remembers it), comes back to the same question.
 */
function deregisteredIsALookupProblem(snapshot: Persisted): Persisted {
  const from = 'conversation.flow.deregistered';
  const to = 'conversation.flow.lookupProblem';
  const there = isRecord(snapshot.value) && snapshot.value.flow === 'deregistered';
  let remembered = false;
  const historyValue = Object.fromEntries(
    Object.entries(snapshot.historyValue ?? {}).map(([history, nodes]) => [
      history,
      nodes.map((node) => {
        if (node.id !== from) return node;
        remembered = true;
        return { ...node, id: to };
      }),
    ]),
  );
  const { context } = snapshot;
  return {
    ...snapshot,
    value: there ? { flow: 'lookupProblem' } : snapshot.value,
    historyValue,
    context: {
      ...context,
      step: context.step === 'deregistered' ? 'lookupProblem' : context.step,
      ...((there || remembered) && { problem: 'deregistered' }),
    },
  };
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null;

function isPersisted(value: unknown): value is Persisted {
  if (!isRecord(value) || value.status !== 'active' || value.value === undefined) return false;
  const { historyValue } = value;
  const historyOk =
    historyValue === undefined ||
    (isRecord(historyValue) &&
      Object.values(historyValue).every(
        (nodes) =>
          Array.isArray(nodes) && nodes.every((node) => isRecord(node) && typeof node.id === 'string'),
      ));
  return isRecord(value.context) && historyOk;
}
