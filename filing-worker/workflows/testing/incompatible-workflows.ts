/**
 * Today's workflows, each changed the way a deploy must not change them: a new first step (a timer) added
 * without `patched()`. The replay test expects every recorded history to fail against this bundle, which
 * shows it would catch such a change.
 */
import { sleep } from '@temporalio/workflow';
import type { OrderToFile } from '../../../flows/filing/file-annual-returns.js';
import type { LookupEnterpriseInput } from '../../../flows/filing/lookup-enterprise.js';
import { fileAnnualReturns as filedToday } from '../file-annual-returns.js';
import { lookupEnterprise as lookedUpToday } from '../lookup-enterprise.js';

export async function lookupEnterprise(input: LookupEnterpriseInput) {
  await sleep('1 second');
  return lookedUpToday(input);
}

export async function fileAnnualReturns(order: OrderToFile) {
  await sleep('1 second');
  return filedToday(order);
}
