import type { AnnualReturnWindow } from '../cipc/annual-return-window.js';
import type { TurnoverBandId } from '../cipc/turnover-bands.js';
import type { FasDetails } from './conversation-command.js';
import type { CompanyFacts, Reminder } from './conversation-event.js';

/** Where the owner is: each state that asks something records its step, so help and status can say it. */
export type Step =
  | 'new'
  | 'consent'
  | 'declined'
  | 'askRegistration'
  | 'lookingUp'
  | 'lookupProblem'
  | 'confirmCompany'
  | 'notDue'
  | 'idle'
  | 'reminderOffer'
  | 'askTurnover'
  | 'askFas'
  | 'askEmail'
  | 'confirmEmail'
  | 'summary'
  | 'change'
  | 'creatingOrder'
  | 'awaitingPayment'
  | 'orderExpired'
  | 'filing'
  | 'menu'
  | 'withAgent'
  | 'optedOut';

export interface YearToFile extends AnnualReturnWindow {
  late: boolean;
  turnoverBandId?: TurnoverBandId;
}

export interface ConversationInput {
  phone: string;
  serviceFeeCents: number;
}

export interface ConversationContext extends ConversationInput {
  step: Step;
  /** Answers in a row the machine could not read; the third offers a person. */
  misunderstandings: number;
  consent?: { version: string; at: string };
  name?: string;
  registrationNumber?: string;
  /** Why the last number led nowhere, for the "try again" prompt. */
  problem?: 'notFound' | 'failed' | 'notFileable' | 'deregistered';
  company?: CompanyFacts;
  years: YearToFile[];
  /** The year whose turnover is being asked. */
  yearIndex: number;
  /** The next window when nothing is due yet. */
  nextReturn?: AnnualReturnWindow;
  /** The reminder that came due last: what `reminderOffer` offers to file. */
  reminder?: Reminder;
  fas?: FasDetails;
  email?: string;
  /** Came from "change something": a finished answer returns to the summary. */
  editing: boolean;
  /** The owner tapped pay: the next `order.created` is theirs. */
  orderRequested: boolean;
  order?: {
    id: string;
    reference: string;
    payUrl: string;
    expiresAt: string;
    totalCents: number;
    reminded: boolean;
    paid: boolean;
    expired: boolean;
  };
  filing?: { arReferences: string[]; certificate?: { url: string; filename: string } };
  agentRequested: boolean;
  /** Set while an agent holds the chat (`agent.joined` until `agent.released`): the bot stays silent. */
  agent?: { name?: string };
  /** A person was asked to fix what blocked filing (a BO declaration): look the company up again after. */
  relookupAfterAgent: boolean;
}

export function initialContext(input: ConversationInput): ConversationContext {
  return {
    ...input,
    step: 'new',
    misunderstandings: 0,
    years: [],
    yearIndex: 0,
    editing: false,
    orderRequested: false,
    agentRequested: false,
    relookupAfterAgent: false,
  };
}

/** What "restart" forgets: the filing in hand, never consent or an order already paid for. */
export function journeyReset(context: ConversationContext): Partial<ConversationContext> {
  return {
    registrationNumber: undefined,
    problem: undefined,
    company: undefined,
    years: [],
    yearIndex: 0,
    nextReturn: undefined,
    fas: undefined,
    editing: false,
    orderRequested: false,
    order: context.order?.paid ? context.order : undefined,
  };
}
