import type { AnnualReturnWindow } from '../cipc/annual-return-window.js';
import type { EnterpriseType } from '../cipc/enterprise-type.js';

/**
 * Everything that can happen to a conversation, as the machine sees it. The engine builds these from
 * stored events (webhooks, workflow milestones, agent actions); `at` is the time the event happened,
 * the machine's only clock.
 */
export type ConversationEvent =
  | { type: 'user.text'; at: string; text: string }
  /** A tapped reply button or list row (`id` is the one we sent), or a typed text equal to its title. */
  | { type: 'user.choice'; at: string; id: string; title: string }
  /** Image, document, audio, sticker, location, contact or anything else that is not text. */
  | { type: 'user.media'; at: string; kind: string }
  | {
      type: 'typebot.intake';
      at: string;
      name: string;
      email?: string;
      registrationNumber: string;
      consent: boolean;
    }
  | { type: 'lookup.found'; at: string; company: CompanyFacts }
  | { type: 'lookup.notFound'; at: string; registrationNumber: string }
  | { type: 'lookup.failed'; at: string; registrationNumber: string; reason: string }
  /** The register showed something we cannot act on by ourselves (an unknown type or status). */
  | { type: 'lookup.needsPerson'; at: string; registrationNumber: string; reason: string }
  /** The engine created the order the machine asked for; `payUrl` is the link to send. */
  | {
      type: 'order.created';
      at: string;
      orderId: string;
      reference: string;
      payUrl: string;
      expiresAt: string;
    }
  | {
      type: 'payment.confirmed';
      at: string;
      orderId: string;
      provider: 'payfast' | 'ozow';
      amountCents: number;
    }
  | { type: 'payment.reminderDue'; at: string; orderId: string }
  | { type: 'order.expired'; at: string; orderId: string }
  | { type: 'filing.milestone'; at: string; orderId: string; milestone: FilingMilestone }
  /** A support agent took the chat over (console), or wrote from AiSensy's inbox (no name then): the bot falls silent. */
  | { type: 'agent.joined'; at: string; agentId?: string; agentName?: string }
  /** The agent holding the chat wrote to the owner: `text` as the owner reads it, sent as `template` when one is named. */
  | { type: 'agent.message'; at: string; agentId: string; agentName: string; message: AgentMessage }
  /** The chat was assigned (or, while held, handed over) to another agent, with why. */
  | { type: 'agent.assigned'; at: string; agentId: string; agentName: string; reason: string }
  /**
   * The agent handed the conversation back to the bot, or the idle timer did (`idle`). `resume` (also what
   * a payload without `mode` means) carries on where the owner was; `restart` starts the filing afresh.
   */
  | { type: 'agent.released'; at: string; mode?: 'resume' | 'restart'; idle?: boolean }
  /** A reminder the machine scheduled (`scheduleReminder`) came due; `reminder` is as it was scheduled. */
  | { type: 'reminder.due'; at: string; reminder: Reminder };

/** What an agent sends: the text the owner reads, and the approved template that carries it, when one is named. */
export interface AgentMessage {
  text: string;
  template?: { name: string; params: string[] };
}

/** What a reminder is about, kept with it from the command that schedules it to the event that says it. */
export interface Reminder {
  kind: 'annualReturnOpens';
  registrationNumber: string;
  companyName: string;
  /** The annual return that opens. */
  annualReturn: AnnualReturnWindow;
}

/** The statuses whose consequences we know; the lookup hands any other to a person. */
export const COMPANY_STATUSES = ['in business', 'ar deregistration process', 'deregistered'] as const;

export interface CompanyFacts {
  registrationNumber: string;
  name: string;
  enterpriseType: EnterpriseType;
  status: (typeof COMPANY_STATUSES)[number];
  incorporationDate: string;
  filedYears: number[];
  /** Latest calendar year with a beneficial-ownership declaration; undefined when none was ever filed. */
  boYear?: number;
}

export type FilingMilestone =
  | { kind: 'started' }
  | { kind: 'loggedIn' }
  | { kind: 'yearSubmitted'; year: number; arReference: string }
  | { kind: 'waitingForPerson'; reason: string }
  | { kind: 'delayed'; reason: string }
  | { kind: 'completed'; arReferences: string[]; certificateUrl: string; certificateFilename: string }
  | { kind: 'failed'; reason: string }
  /** A person answered what the filing waited for, and it goes on. */
  | { kind: 'resumed'; by: PersonAnswer }
  /** A person cancelled the filing; `refundNote` is what they tell the owner about the money paid. */
  | { kind: 'cancelled'; refundNote?: string }
  /** A person filed the returns at CIPC by hand: references, but no certificate from us. */
  | { kind: 'filedByHand'; arReferences: string[] };

/** How a person let a waiting filing go on: try again, the security code read by hand, a topped-up balance. */
export type PersonAnswer = 'retry' | 'captcha' | 'balanceToppedUp';
