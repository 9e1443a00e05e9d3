import type { filings } from '../../../db/schema.js';
import type { FilingActionName } from './filing-action.js';

type FilingRow = Pick<typeof filings.$inferSelect, 'status' | 'milestones' | 'captchaPngBase64'>;

/** A person's answer already given to the filing's current wait. */
export interface WaitAnswer {
  action: FilingActionName;
  agentName: string;
  at: Date;
}

/** What a filing needs from a person now: the wait and the actions that fit it, or why nothing can be done. */
export type FilingNeeds =
  | {
      waiting: true;
      /** The wait's index in `filings.milestones`: the one answer allowed is keyed on it. */
      wait: number;
      since: string;
      reason: string;
      /** A security code is there to be read (`GET .../captcha`). */
      captcha: boolean;
      actions: FilingActionName[];
    }
  | { waiting: false; why: string; answer?: WaitAnswer };

const WAIT_MILESTONES = new Set(['waitingForPerson', 'delayed']);

/**
 * Decided from the `filings` row the workflow keeps up to date (not from the workflow's query, which only
 * a running worker answers): the filing waits when its last milestone is a wait nobody has answered.
 * Retry, mark filed and cancel fit every wait; the security code only a wait that kept one; "balance
 * topped up" only a wait for the CIPC prepaid balance (`delayed`).
 */
export function filingNeeds(filing: FilingRow, answer: WaitAnswer | undefined): FilingNeeds {
  const wait = filing.milestones.length - 1;
  const last = filing.milestones[wait];
  if (filing.status !== 'waiting_for_person' || !last || !WAIT_MILESTONES.has(last.milestone)) {
    return { waiting: false, why: NOT_WAITING[filing.status] };
  }
  if (answer) {
    return {
      waiting: false,
      why: `${answer.agentName} already answered this wait (${answer.action}) at ${answer.at.toISOString()}; the filing is acting on it`,
      answer,
    };
  }
  const captcha = filing.captchaPngBase64 !== null;
  const detail = last.detail as { reason?: unknown } | undefined;
  return {
    waiting: true,
    wait,
    since: last.at,
    reason: typeof detail?.reason === 'string' ? detail.reason : 'a person is needed',
    captcha,
    actions: [
      'retry',
      ...(captcha ? (['captcha'] as const) : []),
      ...(last.milestone === 'delayed' ? (['balanceToppedUp'] as const) : []),
      'markFiled',
      'cancel',
    ],
  };
}

const NOT_WAITING: Record<FilingRow['status'], string> = {
  running: 'the filing is running and waits for nobody; it asks for a person when it needs one',
  waiting_for_person: 'the filing is between steps; it asks for a person again if it needs one',
  filed: 'the filing is already filed',
  cancelled: 'the filing is cancelled',
  failed: 'the filing failed and has ended: it can no longer be resumed, marked filed or cancelled here',
};
