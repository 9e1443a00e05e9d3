import type { Snapshot } from 'xstate';
import { initialContext } from './conversation-context.js';
import { conversationMachine, MACHINE_VERSION } from './conversation-machine.js';

/**
 * A persisted snapshot, written by the machine of `version`, in the shape this version restores; or
 * undefined when it cannot be carried over, and the engine starts afresh with `restartNotice`.
 * Within one version, context fields added later get their defaults, so adding an optional field needs no
 * version bump; renaming a state or changing a field's meaning does, with a step here from the old one.
 */
export function migrateSnapshot(persisted: unknown, version: number): Snapshot<unknown> | undefined {
  if (version !== MACHINE_VERSION || !isSnapshotLike(persisted)) return undefined;
  const context = persisted.context as { phone?: unknown; serviceFeeCents?: unknown };
  if (typeof context.phone !== 'string' || typeof context.serviceFeeCents !== 'number') return undefined;
  const defaults = initialContext({ phone: context.phone, serviceFeeCents: context.serviceFeeCents });
  const snapshot: Snapshot<unknown> = {
    ...persisted,
    output: undefined,
    error: undefined,
    context: { ...defaults, ...persisted.context },
  } as Snapshot<unknown> & { context: object };
  try {
    // Throws when the state value names a state this machine does not have.
    conversationMachine.resolveState(snapshot as never);
  } catch {
    return undefined;
  }
  return snapshot;
}

function isSnapshotLike(value: unknown): value is { value: unknown; context: object; status: 'active' } {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as { value?: unknown; context?: unknown; status?: unknown };
  return (
    candidate.value !== undefined &&
    typeof candidate.context === 'object' &&
    candidate.context !== null &&
    candidate.status === 'active'
  );
}
