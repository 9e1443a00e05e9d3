import {
  ActivityFailure,
  ApplicationFailure,
  patched,
  proxyActivities,
  workflowInfo,
} from '@temporalio/workflow';
import type { ConversationEvent } from '../../flows/conversation/conversation-event.js';
import { LOOKUP_NEEDS_PERSON, type LookupEnterpriseInput } from '../../flows/filing/lookup-enterprise.js';
import type { DatabaseActivities } from '../activities/create-database-activities.js';

type LookupEvent = Extract<ConversationEvent, { type: `lookup.${string}` }>;

// The owner is waiting in the chat: a few quick tries, then say it failed rather than keep them waiting.
const { searchCompany } = proxyActivities<DatabaseActivities>({
  startToCloseTimeout: '20 seconds',
  retry: { initialInterval: '1 second', maximumAttempts: 3, nonRetryableErrorTypes: ['PortalRejected'] },
});
const { storeConversationEvent } = proxyActivities<DatabaseActivities>({
  startToCloseTimeout: '20 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
});

/** Public enterprise search → one `lookup.*` event for the conversation. */
export async function lookupEnterprise(input: LookupEnterpriseInput): Promise<LookupEvent> {
  const { registrationNumber, conversationId } = input;
  let event: LookupEvent;
  try {
    const company = await searchCompany({ registrationNumber });
    const at = new Date().toISOString();
    event = company
      ? { type: 'lookup.found', at, company }
      : { type: 'lookup.notFound', at, registrationNumber };
  } catch (err) {
    if (!(err instanceof ActivityFailure)) throw err;
    const reason = err.cause?.message ?? err.message;
    const at = new Date().toISOString();
    const needsPerson = err.cause instanceof ApplicationFailure && err.cause.type === LOOKUP_NEEDS_PERSON;
    event =
      needsPerson && patched('lookup-needs-person')
        ? { type: 'lookup.needsPerson', at, registrationNumber, reason }
        : { type: 'lookup.failed', at, registrationNumber, reason };
  }
  await storeConversationEvent({
    dedupeKey: `lookup:${workflowInfo().workflowId}`,
    conversationId,
    type: event.type,
    payload: event,
  });
  return event;
}
