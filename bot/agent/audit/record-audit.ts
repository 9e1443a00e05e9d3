import type { Db, Tx } from '../../../db/create-database.js';
import { auditLog } from '../../../db/schema.js';

export interface AuditEntry {
  /** The agent's id, or `system` for the service's own jobs (retention, idle hand-back). */
  actor: string;
  /** What was done, `noun.verb`: `conversation.viewed`, `agent.login`, `contact.erased`. */
  action: string;
  /** What it was done to, `kind:id`: `conversation:<uuid>`, `contact:<uuid>`, `agent:<uuid>`. */
  subject: string;
  /** Ids, counts, reasons — never personal data in the clear (the log outlives an erasure). */
  details?: Record<string, unknown>;
}

const EMAIL = /[^\s@]+@[^\s@]+\.[^\s@]+/;
/** A phone or ID number: nine or more digits standing alone (not part of a uuid or a word). */
const LONG_NUMBER = /(?<![\w-])\+?\d{9,}(?![\w-])/;

function personalDataIn(value: unknown, path: string): string | undefined {
  if (typeof value === 'string') {
    if (EMAIL.test(value)) return `${path} holds an email address`;
    if (LONG_NUMBER.test(value)) return `${path} holds a phone or ID number`;
    return undefined;
  }
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = personalDataIn(item, `${path}[${index}]`);
      if (found) return found;
    }
    return undefined;
  }
  if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const found = personalDataIn(item, `${path}.${key}`);
      if (found) return found;
    }
  }
  return undefined;
}

/**
 * Appends one row to the audit log, inside the caller's transaction when given one so the record and the
 * action stand or fall together. Refuses details that look like personal data: the audit log is kept
 * after a contact is erased, so it must never become a copy of what was erased.
 */
export async function recordAudit(db: Db | Tx, entry: AuditEntry): Promise<void> {
  const problem = personalDataIn(entry.details, 'details') ?? personalDataIn(entry.subject, 'subject');
  if (problem) throw new Error(`audit entry ${entry.action} refused: ${problem}`);
  await db.insert(auditLog).values({
    actor: entry.actor,
    action: entry.action,
    subject: entry.subject,
    details: entry.details ?? null,
  });
}
