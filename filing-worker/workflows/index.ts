/**
 * The workflows the filing worker runs. A deploy meets lookups and filings in flight, so their code must
 * still replay every history already recorded: a change to what a workflow does goes behind
 * `patched('<what changed>')`, keeping the old path for old histories, and `replay-histories.test.ts`
 * replays recorded histories (`histories/`, from `scripts/record-workflow-histories.ts`) against this code.
 * Once no workflow started before a patch can still be running, it becomes `deprecatePatch`, then goes.
 */
export { fileAnnualReturns } from './file-annual-returns.js';
export { lookupEnterprise } from './lookup-enterprise.js';
export { workerCanary } from './worker-canary.js';
