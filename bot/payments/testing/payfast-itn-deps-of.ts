import type { PaymentWorld } from '../../routes/pay/testing/start-payment-world.js';
import type { PayfastItnDeps } from '../process-payfast-itn.js';

/** Test support: the ITN checks as the world's service runs them, with another allowlist and resolver. */
export function payfastItnDepsOf(
  world: PaymentWorld,
  changes: Pick<PayfastItnDeps, 'resolveHost'> & { sourceAllowlist: readonly string[]; now?: () => Date },
): PayfastItnDeps {
  return {
    db: world.db,
    encryptionKeys: world.app.encryptionKeys,
    payfast: { ...world.config.payfast, sourceAllowlist: changes.sourceAllowlist },
    resolveHost: changes.resolveHost,
    now: changes.now,
  };
}
