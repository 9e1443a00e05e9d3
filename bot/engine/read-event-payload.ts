import { EVENT_PAYLOAD_VERSION } from '../../db/store-event.js';
import { isEnterpriseType } from '../../flows/cipc/enterprise-type.js';
import { COMPANY_STATUSES, type ConversationEvent } from '../../flows/conversation/conversation-event.js';

type Payload = Record<string, unknown> & { type: string };

/** Step n upgrades a payload stored at version n to version n + 1 (see `EVENT_PAYLOAD_VERSION`). */
const STEPS: Readonly<Record<number, (payload: Payload) => Payload>> = {
  1: unknownCompanyNeedsPerson,
};

/**
 * A stored event's payload as the machine of today reads it: upgraded step by step from the version it
 * was stored at (no `v`: 1). Throws on a payload that is not an event or is newer than this bot, so the
 * engine marks that event failed and a person looks, rather than the machine misreading it.
 */
export function readEventPayload(payload: unknown): ConversationEvent {
  if (!isRecord(payload) || typeof payload.type !== 'string')
    throw new Error('an event payload without a type');
  const version = payload.v ?? 1;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    throw new Error(`an event payload of version ${String(version)}`);
  }
  if (version > EVENT_PAYLOAD_VERSION) {
    throw new Error(
      `an event payload of version ${version}, newer than this bot reads (${EVENT_PAYLOAD_VERSION})`,
    );
  }
  let current = payload as Payload;
  for (let from = version; from < EVENT_PAYLOAD_VERSION; from++)
    current = (STEPS[from] as (p: Payload) => Payload)(current);
  const { v: _, ...event } = current;
  return event as unknown as ConversationEvent;
}

/**
 * 1 → 2: a version 1 lookup passed on the register's status unchecked (and guessed a type it did not
 * know): one waiting with a type or status we do not know goes to a person, never to a fee table.
 */
function unknownCompanyNeedsPerson(payload: Payload): Payload {
  const company = payload.company;
  if (payload.type !== 'lookup.found' || !isRecord(company)) return payload;
  const { enterpriseType, status } = company;
  const knownType = typeof enterpriseType === 'string' && isEnterpriseType(enterpriseType);
  const knownStatus = (COMPANY_STATUSES as readonly unknown[]).includes(status);
  if (knownType && knownStatus) return payload;
  return {
    type: 'lookup.needsPerson',
    at: payload.at,
    registrationNumber: company.registrationNumber,
    reason: `CIPC showed type "${String(enterpriseType)}" and status "${String(status)}"`,
  };
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null;
