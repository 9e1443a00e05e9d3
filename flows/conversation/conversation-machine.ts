/**
 * The WhatsApp dialogue, as a pure function of (snapshot, event).
 *
 * Why it is shaped this way:
 * - Commands are named actions with empty bodies whose params are `ConversationCommand`s: `transition()`
 *   hands them to the engine, which writes them into the outbox with the new snapshot (one transaction),
 *   so a crash can never send without saving or save without sending. `commandsOf` reads them back.
 * - Each state that waits for the owner enters with `ask`, which records its `step` and sends its prompt.
 *   The step makes `help`, `status` and a misunderstood answer state-aware from one place (the root), and
 *   the prompt is also what a typed answer is matched against (a typed button title counts as a tap).
 * - Child states only claim answers they understand; anything else bubbles to the root, which handles the
 *   global commands (help, status, agent, menu, restart, stop) and otherwise apologises and re-asks with
 *   the valid options, offering a person at the third miss in a row. So no state is a dead end.
 * - Results that arrive on their own time (order created, payment, filing milestones, agent released)
 *   are handled at the root: the owner may be in the menu or asking for help when they come.
 * - `flow.hist` remembers the step the owner left for the menu, a person or an opt-out, so `continue`,
 *   `start` and an agent's hand-back resume there and ask the question again.
 * - The money decides, not the dialogue: a confirmed payment queued its filing where it was recorded
 *   (`confirmPayment` in the service), so the machine only tells the owner, whatever step they are at or
 *   whichever order it holds; milestones of an order it no longer holds are still reported.
 * - An agent holding the chat (`agent.joined` until `agent.released`, from the console or AiSensy's inbox)
 *   is `heldByAgent`, outside the flow like the menu: it swallows whatever the owner writes (the person
 *   reads it on the transcript) and relays what the agent writes. `context.agent` says a hold is on, so
 *   a fact that moves the flow meanwhile (a payment, a milestone) is told and the chat goes straight back
 *   to the person (the root's `always`), with the flow's history now at the new step for the hand-back.
 * - `optedOut` swallows every message it would send, except telling the owner how to opt back in when they
 *   write.
 * - "Remind me" schedules a reminder with the engine (`scheduleReminder`), which hands it back weeks later
 *   as `reminder.due`. It is offered (`reminderOffer`) wherever the owner is at rest or mid-answer, like the
 *   menu, and "not now" resumes there; a step that waits on a lookup, a payment, a filing or a person only
 *   mentions it, and an opted-out owner hears nothing.
 * - Dates come from each event's `at` (South African calendar day): the machine never reads a clock.
 */
import { and, assign, enqueueActions, not, setup, stateIn } from 'xstate';
import { feeTableKindOf, isFileable } from '../cipc/enterprise-type.js';
import { isLate } from '../cipc/is-late.js';
import { nextAnnualReturn } from '../cipc/next-annual-return.js';
import { outstandingAnnualReturns } from '../cipc/outstanding-annual-returns.js';
import { parseRegistrationNumber } from '../cipc/parse-registration-number.js';
import { parseTurnover } from '../cipc/parse-turnover.js';
import { type TurnoverBandId, turnoverBandsFor } from '../cipc/turnover-bands.js';
import { agentWait } from './agent-wait.js';
import { CHOICE } from './choice.js';
import type {
  ConversationCommand,
  FasDetails,
  OrderRequest,
  OutboundMessage,
} from './conversation-command.js';
import {
  type ConversationContext,
  type ConversationInput,
  initialContext,
  journeyReset,
  type Step,
} from './conversation-context.js';
import type { ConversationEvent, FilingMilestone } from './conversation-event.js';
import { CONSENT_VERSION, copy, STATUS } from './copy.js';
import { parseEmail } from './parse-email.js';
import { parseFasPerson } from './parse-fas-person.js';
import { promptOf } from './prompt-of.js';
import { chosenId, commandOf } from './read-answer.js';
import { southAfricanInstant } from './south-african-instant.js';
import { southAfricanTime } from './south-african-time.js';
import { summaryOf } from './summary-of.js';

/**
 * Bump when a persisted snapshot of the previous version would not restore, with a step in
 * `migrateSnapshot` that carries it over. 2: `deregistered` became a `lookupProblem` (problem 'deregistered').
 * 3: `heldByAgent` (a state an older bot could not restore, so it leaves these conversations to this one).
 */
export const MACHINE_VERSION = 3;

export type { ConversationContext, ConversationInput } from './conversation-context.js';

/** Reminders go out at 8:00 South African time on their day: early enough to act on, not at dawn. */
const REMINDER_HOUR = 8;

type Params<K extends ConversationCommand['type']> = Omit<Extract<ConversationCommand, { type: K }>, 'type'>;

/**
 * A command as an action object for `enqueue`, which cannot see the named actions' types (xstate infers
 * them after the action bodies): typed here by its command, handed over untyped.
 */
const command = <K extends ConversationCommand['type']>(type: K, params: Params<K>) =>
  ({ type, params }) as never;

const today = (event: ConversationEvent) => southAfricanTime(event.at).date;
const textOf = (event: ConversationEvent) => (event.type === 'user.text' ? event.text : undefined);

function registrationOf(event: ConversationEvent) {
  const text = textOf(event);
  return text === undefined ? undefined : parseRegistrationNumber(text, today(event));
}

function turnoverOf(context: ConversationContext, event: ConversationEvent): TurnoverBandId | undefined {
  const type = context.company?.enterpriseType;
  if (!type || !isFileable(type)) return undefined;
  const bands = turnoverBandsFor(feeTableKindOf(type));
  const id = chosenId(event, promptOf('askTurnover', context));
  const band = bands.find((candidate) => candidate.id === id);
  if (band) return band.id;
  const text = textOf(event);
  return text === undefined ? undefined : parseTurnover(text, type);
}

/** One line: the same person kept the records and prepared the statements; two lines: keeper, preparer. */
function fasOf(event: ConversationEvent): FasDetails | undefined {
  const lines = (textOf(event) ?? '')
    .split(/\n+/)
    .map((line) => line.trim())
    .filter(Boolean);
  if (lines.length < 1 || lines.length > 2) return undefined;
  const people = lines.map(parseFasPerson);
  const [recordsKeeper, preparer = recordsKeeper] = people;
  return recordsKeeper && preparer && people.every(Boolean) ? { recordsKeeper, preparer } : undefined;
}

const isOurs = (context: ConversationContext, event: ConversationEvent) =>
  'orderId' in event && context.order?.id === event.orderId;

function storedOrder(context: ConversationContext, event: ConversationEvent): Partial<ConversationContext> {
  if (event.type !== 'order.created') return {};
  const { orderId: id, reference, payUrl, expiresAt } = event;
  const totalCents = summaryOf(context)?.totalCents ?? 0;
  return {
    order: { id, reference, payUrl, expiresAt, totalCents, reminded: false, paid: false, expired: false },
  };
}

/** The order exactly as summarised (the list titles stay out of it). */
function orderOf(context: ConversationContext): OrderRequest {
  const summary = summaryOf(context);
  if (!summary) throw new Error('orderOf: the summary is incomplete (guarded by canQuote)');
  return { ...summary, years: summary.years.map(({ bandTitle: _, ...year }) => year) };
}

const machineSetup = setup({
  types: {} as { context: ConversationContext; events: ConversationEvent; input: ConversationInput },
  actions: {
    // Commands. Bodies stay empty: the engine reads the action objects that transition() returns.
    reply: (_, _params: Params<'reply'>) => {},
    lookupCompany: (_, _params: Params<'lookupCompany'>) => {},
    recordConsent: (_, _params: Params<'recordConsent'>) => {},
    createOrder: (_, _params: Params<'createOrder'>) => {},
    requestAgent: (_, _params: Params<'requestAgent'>) => {},
    sendAgentMessage: (_, _params: Params<'sendAgentMessage'>) => {},
    setOptOut: (_, _params: Params<'setOptOut'>) => {},
    scheduleReminder: (_, _params: Params<'scheduleReminder'>) => {},
    cancelReminders: (_, _params: Params<'cancelReminders'>) => {},

    resetJourney: assign(({ context }) => journeyReset(context)),
    markNotFileable: assign({ problem: 'notFileable' as const }),
    takeRegistration: assign(({ context, event }) => {
      const parsed = registrationOf(event);
      return { ...journeyReset(context), registrationNumber: parsed?.ok ? parsed.number : undefined };
    }),
    takeCompany: assign(({ event }) => {
      if (event.type !== 'lookup.found') return {};
      const { company } = event;
      const type = company.enterpriseType;
      if (!isFileable(type)) return { company };
      const history = {
        enterpriseType: type,
        incorporationDate: company.incorporationDate,
        today: today(event),
      };
      return {
        company,
        years: outstandingAnnualReturns({ ...history, filedYears: company.filedYears }),
        nextReturn: nextAnnualReturn(history),
        yearIndex: 0,
      };
    }),
    setTurnover: assign(({ context, event }) => ({
      years: context.years.map((year, i) =>
        i === context.yearIndex ? { ...year, turnoverBandId: turnoverOf(context, event) } : year,
      ),
      yearIndex: context.yearIndex + 1,
    })),
    setFas: assign({ fas: ({ context, event }) => fasOf(event) ?? context.fas }),
    setEmail: assign({ email: ({ context, event }) => parseEmail(textOf(event) ?? '') ?? context.email }),
    // The quote is priced on the day it is shown: a year that turned late since the lookup costs more.
    refreshLateness: assign(({ context, event }) =>
      'at' in event
        ? { years: context.years.map((year) => ({ ...year, late: isLate(year, today(event)) })) }
        : {},
    ),
    storeOrder: assign(({ context, event }) => storedOrder(context, event)),
    recordMilestone: assign(({ context, event }) => {
      if (event.type !== 'filing.milestone') return {};
      const { milestone } = event;
      const filing = context.filing ?? { arReferences: [] };
      if (milestone.kind === 'yearSubmitted') {
        return { filing: { ...filing, arReferences: [...filing.arReferences, milestone.arReference] } };
      }
      if (milestone.kind === 'completed') {
        const certificate = { url: milestone.certificateUrl, filename: milestone.certificateFilename };
        return { filing: { arReferences: milestone.arReferences, certificate } };
      }
      if (milestone.kind === 'filedByHand') return { filing: { arReferences: milestone.arReferences } };
      return {};
    }),
  },
  guards: {
    chose: ({ context, event }, { id }: { id: string }) =>
      chosenId(event, promptOf(context.step, context)) === id,
    isCommand: ({ event }, { command }: { command: string }) => commandOf(event) === command,
    /** A typed or tapped answer that is not a global command: what a step that waits swallows. */
    isAnswer: ({ event }) => event.type === 'user.text' || event.type === 'user.choice',
    isPlainAnswer: ({ event }) => {
      if (event.type !== 'user.text' && event.type !== 'user.choice') return false;
      const command = commandOf(event);
      return command === undefined || command === 'start';
    },
    hasConsent: ({ context }) => context.consent !== undefined,
    validRegistration: ({ event }) => {
      const parsed = registrationOf(event);
      return parsed?.ok === true && isFileable(parsed.enterpriseType);
    },
    unfileableRegistration: ({ event }) => {
      const parsed = registrationOf(event);
      return parsed?.ok === true && !isFileable(parsed.enterpriseType);
    },
    ourLookup: ({ context, event }) =>
      'registrationNumber' in event && event.registrationNumber === context.registrationNumber,
    ourCompany: ({ context, event }) =>
      event.type === 'lookup.found' && event.company.registrationNumber === context.registrationNumber,
    deregistered: ({ event }) => event.type === 'lookup.found' && event.company.status === 'deregistered',
    unfileableCompany: ({ event }) =>
      event.type === 'lookup.found' && !isFileable(event.company.enterpriseType),
    nothingDue: ({ context }) => context.years.length === 0,
    // CIPC wants a BO declaration for the calendar year of each return filed: the latest year decides.
    boMissing: ({ context }) => {
      const latest = Math.max(...context.years.map((year) => year.year));
      return context.company?.boYear === undefined || context.company.boYear < latest;
    },
    turnoverGiven: ({ context, event }) => turnoverOf(context, event) !== undefined,
    moreYears: ({ context }) => context.yearIndex + 1 < context.years.length,
    editing: ({ context }) => context.editing,
    fasGiven: ({ event }) => fasOf(event) !== undefined,
    hasDigits: ({ event }) => /\d/.test(textOf(event) ?? ''),
    emailGiven: ({ event }) => parseEmail(textOf(event) ?? '') !== undefined,
    emailKnown: ({ context }) => context.email !== undefined,
    mentionsEmail: ({ event }) => (textOf(event) ?? '').includes('@'),
    canQuote: ({ context }) => summaryOf(context) !== undefined,
    orderPending: ({ context }) => context.orderRequested && context.order === undefined,
    ourUnpaidOrder: ({ context, event }) => isOurs(context, event) && context.order?.paid === false,
    reminderDue: ({ context, event }) =>
      isOurs(context, event) &&
      context.order?.paid === false &&
      !context.order.reminded &&
      !context.order.expired,
    hasOrder: ({ context }) => context.order !== undefined,
    milestoneIs: ({ context, event }, { kind }: { kind: FilingMilestone['kind'] }) =>
      event.type === 'filing.milestone' && isOurs(context, event) && event.milestone.kind === kind,
    ourMilestone: ({ context, event }) => event.type === 'filing.milestone' && isOurs(context, event),
    /** A person filed it by hand or cancelled it (with a refund): the filing is over, the owner at rest. */
    ourFilingEndedByPerson: ({ context, event }) =>
      event.type === 'filing.milestone' &&
      isOurs(context, event) &&
      (event.milestone.kind === 'filedByHand' || event.milestone.kind === 'cancelled'),
    /** About an order this conversation paid for but no longer holds (a restart, a new company, a new version). */
    anotherOrder: ({ context, event }) => 'orderId' in event && !isOurs(context, event),
    anotherOrderFailed: ({ context, event }) =>
      event.type === 'filing.milestone' && !isOurs(context, event) && event.milestone.kind === 'failed',
    intakeWithConsent: ({ event }) => event.type === 'typebot.intake' && event.consent,
    intakeRegistrationValid: ({ event }) => {
      if (event.type !== 'typebot.intake') return false;
      const parsed = parseRegistrationNumber(event.registrationNumber, today(event));
      return parsed.ok && isFileable(parsed.enterpriseType);
    },
    relookupAfterAgent: ({ context }) => context.relookupAfterAgent,
    held: ({ context }) => context.agent !== undefined,
    restartAsked: ({ event }) => event.type === 'agent.released' && event.mode === 'restart',
  },
}).extend({
  // Actions made of other actions, kept apart so the commands they enqueue are declared first.
  actions: {
    /** Enter a step: remember it, forget earlier misses, and ask its question unless the way in just did. */
    ask: enqueueActions(({ context, enqueue }, { step, silent }: { step: Step; silent?: boolean }) => {
      enqueue.assign({ step, misunderstandings: 0 });
      if (silent) return;
      for (const message of promptOf(step, context)) enqueue(command('reply', { message }));
    }),
    reAsk: enqueueActions(({ context, enqueue }) => {
      for (const message of promptOf(context.step, context)) enqueue(command('reply', { message }));
    }),
    misunderstood: enqueueActions(
      ({ context, event, enqueue }, params: { reason?: string; registration?: true }) => {
        const misunderstandings = context.misunderstandings + 1;
        if (misunderstandings >= 3) {
          enqueue.assign({ misunderstandings: 0 });
          enqueue(command('reply', { message: copy.offerPerson() }));
          return;
        }
        enqueue.assign({ misunderstandings });
        const parsed = params.registration ? registrationOf(event) : undefined;
        const apology = params.reason ?? (parsed?.ok === false ? parsed.reason : copy.notUnderstood());
        const [first, ...rest] = promptOf(context.step, context);
        const messages: OutboundMessage[] =
          first && first.kind !== 'document'
            ? [{ ...first, text: `${apology}\n\n${first.text}` }, ...rest]
            : [{ kind: 'text', text: apology }];
        for (const message of messages) enqueue(command('reply', { message }));
      },
    ),
    help: enqueueActions(({ context, enqueue }) => {
      enqueue(command('reply', { message: copy.help() }));
      for (const message of promptOf(context.step, context)) enqueue(command('reply', { message }));
    }),
    status: enqueueActions(({ context, enqueue }) => {
      const { where, next } = STATUS[context.step];
      enqueue(command('reply', { message: copy.status(where, next) }));
    }),
    handOver: enqueueActions(({ context, event, enqueue }, { reason }: { reason: string }) => {
      if (context.agentRequested) {
        enqueue(command('reply', { message: copy.agentAlreadyRequested() }));
        return;
      }
      enqueue.assign({ agentRequested: true });
      enqueue(command('requestAgent', { reason }));
      enqueue(command('reply', { message: copy.agentRequested(agentWait(event.at)) }));
    }),
    releaseAgent: assign({ agent: undefined, agentRequested: false }),
    takeAgent: assign(({ event }) => ({
      agent: { name: 'agentName' in event ? event.agentName?.trim() || undefined : undefined },
    })),
    /** The owner meets the person by first name; a hold taken from AiSensy's inbox has none (their message is the greeting). */
    announceAgent: enqueueActions(({ event, enqueue }) => {
      const name = 'agentName' in event ? event.agentName?.trim() : undefined;
      if (name) enqueue(command('reply', { message: copy.agentJoined(name) }));
    }),
    relayAgentMessage: enqueueActions(({ event, enqueue }) => {
      if (event.type !== 'agent.message') return;
      const { agentId, agentName, message } = event;
      enqueue(command('sendAgentMessage', { agentId, agentName, message }));
    }),
    /**
     * Back with the bot: say so. The step the owner returns to asks its question on entry, except those
     * entered silently (their way in said it), which are asked here; `context.step` is still the step the
     * person took the owner from, as holding does not change it.
     */
    sayReleased: enqueueActions(({ context, enqueue }) => {
      enqueue(command('reply', { message: copy.agentReleased() }));
      if (context.step === 'consent' || context.step === 'filing')
        for (const message of promptOf(context.step, context)) enqueue(command('reply', { message }));
    }),
    welcome: enqueueActions(({ context, enqueue }) => {
      enqueue(command('reply', { message: copy.welcome(context.serviceFeeCents) }));
    }),
    giveConsent: enqueueActions(({ event, enqueue }) => {
      enqueue(command('recordConsent', { version: CONSENT_VERSION, given: true, at: event.at }));
      enqueue.assign({ consent: { version: CONSENT_VERSION, at: event.at } });
    }),
    acceptIntake: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'typebot.intake') return;
      const parsed = parseRegistrationNumber(event.registrationNumber, today(event));
      enqueue(command('recordConsent', { version: CONSENT_VERSION, given: true, at: event.at }));
      enqueue.assign({
        ...journeyReset(context),
        consent: { version: CONSENT_VERSION, at: event.at },
        name: event.name,
        email: parseEmail(event.email ?? '') ?? context.email,
        registrationNumber: parsed.ok ? parsed.number : undefined,
      });
      enqueue(command('reply', { message: copy.typebotWelcome(event.name) }));
    }),
    // Marks the order in hand paid. The filing itself was queued where the payment was recorded.
    confirmPayment: assign(({ context, event }) =>
      event.type === 'payment.confirmed' && context.order ? { order: { ...context.order, paid: true } } : {},
    ),
    remindToPay: enqueueActions(({ context, enqueue }) => {
      if (!context.order) return;
      enqueue.assign({ order: { ...context.order, reminded: true } });
      enqueue(command('reply', { message: copy.paymentReminder(context.order) }));
    }),
    reportMilestone: enqueueActions(({ event, enqueue }) => {
      if (event.type !== 'filing.milestone') return;
      for (const message of copy.milestone(event.milestone)) enqueue(command('reply', { message }));
    }),
    remindWhenItOpens: enqueueActions(({ context, enqueue }) => {
      const { company, nextReturn } = context;
      if (!company || !nextReturn) return;
      enqueue(
        command('scheduleReminder', {
          dueAt: southAfricanInstant(nextReturn.opens, REMINDER_HOUR),
          reminder: {
            kind: 'annualReturnOpens',
            registrationNumber: company.registrationNumber,
            companyName: company.name,
            annualReturn: { year: nextReturn.year, opens: nextReturn.opens, due: nextReturn.due },
          },
        }),
      );
      enqueue(command('reply', { message: copy.reminderNoted(nextReturn.opens) }));
    }),
    noteReminder: enqueueActions(({ event, enqueue }) => {
      if (event.type !== 'reminder.due') return;
      enqueue(command('reply', { message: copy.reminderNote(event.reminder) }));
    }),
    postponeReminder: enqueueActions(({ context, enqueue }) => {
      if (context.reminder) enqueue(command('reply', { message: copy.reminderLater(context.reminder) }));
    }),
    fileReminded: assign(({ context }) => ({
      ...journeyReset(context),
      registrationNumber: context.reminder?.registrationNumber,
    })),
  },
});

const chose = (id: string) => ({ type: 'chose', params: { id } }) as const;
const isCommand = (command: string) => ({ type: 'isCommand', params: { command } }) as const;

/** A registration number typed where one fits: look it up, or say what is wrong with it. */
const registrationAnswers = [
  { guard: 'validRegistration', target: '#conversation.flow.lookingUp', actions: 'takeRegistration' },
  {
    guard: 'unfileableRegistration',
    target: '#conversation.flow.lookupProblem',
    actions: ['takeRegistration', 'markNotFileable'],
  },
  // Digits mean a number with a typo: the apology says what is wrong with it.
  { guard: 'hasDigits', actions: { type: 'misunderstood', params: { registration: true } } },
] as const;

/** Whatever the current step did not claim: global commands, then an apology that re-asks. */
const rootAnswers = [
  {
    guard: isCommand('stop'),
    target: '.optedOut',
    actions: [
      { type: 'setOptOut', params: { optedOut: true } },
      { type: 'reply', params: { message: copy.optedOut() } },
    ],
  },
  {
    guard: isCommand('agent'),
    target: '.withAgent',
    actions: { type: 'handOver', params: { reason: 'Asked for a person.' } },
  },
  { guard: isCommand('help'), actions: 'help' },
  { guard: isCommand('status'), actions: 'status' },
  { guard: isCommand('menu'), target: '.menu' },
  {
    guard: and([isCommand('restart'), 'hasConsent']),
    target: '.flow.askRegistration',
    reenter: true,
    actions: ['resetJourney', { type: 'reply', params: { message: copy.restarting() } }],
  },
  { guard: isCommand('restart'), target: '.flow.consent', reenter: true, actions: 'welcome' },
  { guard: chose(CHOICE.continue), target: '.flow.hist' },
  { actions: { type: 'misunderstood', params: {} } },
] as const;

/** A step that waits for something else: whatever the owner writes, say again what we wait for. */
const waitingAnswers = { guard: 'isPlainAnswer', actions: 'reAsk' } as const;
/** A step that waits for something else only mentions a reminder: offering it would abandon the wait. */
const reminderWhileWaiting = { actions: 'noteReminder' } as const;

export const conversationMachine = machineSetup.createMachine({
  id: 'conversation',
  initial: 'flow',
  context: ({ input }) => initialContext(input),
  on: {
    'user.*': rootAnswers,
    'user.media': { actions: { type: 'reply', params: { message: copy.pleaseType() } } },
    'typebot.intake': [
      {
        guard: and(['intakeWithConsent', 'intakeRegistrationValid']),
        target: '.flow.lookingUp',
        reenter: true,
        actions: 'acceptIntake',
      },
      { guard: 'intakeWithConsent', target: '.flow.askRegistration', reenter: true, actions: 'acceptIntake' },
    ],
    'order.created': { guard: 'orderPending', target: '.flow.awaitingPayment', actions: 'storeOrder' },
    'payment.confirmed': [
      {
        guard: 'ourUnpaidOrder',
        target: '.flow.filing',
        actions: [
          { type: 'reply', params: ({ event }) => ({ message: copy.paymentConfirmed(event.amountCents) }) },
          'confirmPayment',
        ],
      },
      {
        // Paid through a link the dialogue has moved on from: it is filed all the same; say so, stay here.
        guard: 'anotherOrder',
        actions: {
          type: 'reply',
          params: ({ event }) => ({ message: copy.paymentConfirmed(event.amountCents) }),
        },
      },
    ],
    'payment.reminderDue': { guard: 'reminderDue', actions: 'remindToPay' },
    'order.expired': {
      guard: 'ourUnpaidOrder',
      target: '.flow.orderExpired',
      actions: assign(({ context }) => ({ order: context.order && { ...context.order, expired: true } })),
    },
    'filing.milestone': [
      {
        guard: { type: 'milestoneIs', params: { kind: 'completed' } },
        target: '.flow.idle',
        actions: ['recordMilestone', 'reportMilestone'],
      },
      {
        guard: { type: 'milestoneIs', params: { kind: 'failed' } },
        target: '.withAgent',
        actions: ['reportMilestone', { type: 'handOver', params: { reason: 'The filing failed at CIPC.' } }],
      },
      {
        guard: 'ourFilingEndedByPerson',
        target: '.flow.idle',
        actions: ['recordMilestone', 'reportMilestone'],
      },
      { guard: 'ourMilestone', actions: ['recordMilestone', 'reportMilestone'] },
      // A filing of an order the dialogue no longer holds still reports, without moving the owner.
      {
        guard: 'anotherOrderFailed',
        actions: [
          'reportMilestone',
          { type: 'requestAgent', params: { reason: 'The filing failed at CIPC.' } },
        ],
      },
      { guard: 'anotherOrder', actions: 'reportMilestone' },
    ],
    'reminder.due': [
      {
        guard: 'hasConsent',
        target: '.reminderOffer',
        reenter: true,
        actions: assign({ reminder: ({ event }) => event.reminder }),
      },
      // Only a conversation started afresh (a new bot version) can be without consent here: it forgot the
      // consent, not the promise. The owner is told; filing starts with the consent question again.
      { actions: 'noteReminder' },
    ],
    'agent.joined': { target: '.heldByAgent', actions: ['takeAgent', 'announceAgent'] },
    'agent.message': { actions: 'relayAgentMessage' },
    'agent.released': [
      {
        guard: and(['restartAsked', 'hasConsent']),
        target: '.flow.askRegistration',
        reenter: true,
        actions: [
          'releaseAgent',
          'resetJourney',
          { type: 'reply', params: { message: copy.agentReleased() } },
          { type: 'reply', params: { message: copy.restarting() } },
        ],
      },
      {
        guard: 'restartAsked',
        target: '.flow.consent',
        reenter: true,
        actions: ['releaseAgent', { type: 'reply', params: { message: copy.agentReleased() } }, 'welcome'],
      },
      {
        // The person may have sorted out what stopped us (a BO declaration): look the company up afresh.
        guard: 'relookupAfterAgent',
        target: '.flow.lookingUp',
        reenter: true,
        actions: [
          'releaseAgent',
          assign({ relookupAfterAgent: false }),
          { type: 'reply', params: { message: copy.agentReleased() } },
        ],
      },
      { target: '.flow.hist', actions: ['releaseAgent', 'sayReleased'] },
    ],
  },
  // A fact that moved the owner while a person holds the chat (a payment, a milestone): back to the person.
  always: {
    guard: and(['held', not(stateIn('#conversation.heldByAgent')), not(stateIn('#conversation.optedOut'))]),
    target: '.heldByAgent',
  },
  states: {
    flow: {
      initial: 'new',
      states: {
        hist: { type: 'history' },
        new: {
          // The first message, whatever it says, gets the welcome; only a wish to stop or for a person wins.
          on: {
            'user.*': {
              guard: and(['isAnswer', not(isCommand('stop')), not(isCommand('agent'))]),
              target: 'consent',
              actions: 'welcome',
            },
          },
        },
        consent: {
          // Entered right after the welcome, which asks the question already.
          entry: { type: 'ask', params: { step: 'consent', silent: true } },
          on: {
            'user.*': [
              { guard: and(['hasConsent', chose(CHOICE.agree)]), target: 'askRegistration' },
              { guard: chose(CHOICE.agree), target: 'askRegistration', actions: 'giveConsent' },
              {
                guard: chose(CHOICE.privacy),
                actions: [{ type: 'reply', params: { message: copy.privacyNotice() } }, 'reAsk'],
              },
              {
                guard: chose(CHOICE.decline),
                target: 'declined',
                actions: {
                  type: 'recordConsent',
                  params: ({ event }) => ({ version: CONSENT_VERSION, given: false, at: event.at }),
                },
              },
            ],
          },
        },
        declined: {
          entry: { type: 'ask', params: { step: 'declined' } },
          on: { 'user.*': { guard: 'isPlainAnswer', target: 'consent', actions: 'welcome' } },
        },
        askRegistration: {
          entry: { type: 'ask', params: { step: 'askRegistration' } },
          on: { 'user.*': registrationAnswers },
        },
        lookingUp: {
          // Entry (re)issues the lookup, so resuming here after a person or the menu repeats a lost one.
          entry: [
            {
              type: 'lookupCompany',
              params: ({ context }) => ({ registrationNumber: context.registrationNumber ?? '' }),
            },
            { type: 'ask', params: { step: 'lookingUp' } },
          ],
          on: {
            'user.*': {
              guard: 'isPlainAnswer',
              actions: { type: 'reply', params: { message: copy.stillLookingUp() } },
            },
            'reminder.due': reminderWhileWaiting,
            'lookup.found': [
              {
                guard: and(['ourCompany', 'deregistered']),
                target: 'lookupProblem',
                actions: ['takeCompany', assign({ problem: 'deregistered' as const })],
              },
              {
                guard: and(['ourCompany', 'unfileableCompany']),
                target: 'lookupProblem',
                actions: assign({ problem: 'notFileable' as const }),
              },
              { guard: 'ourCompany', target: 'confirmCompany', actions: 'takeCompany' },
            ],
            'lookup.notFound': {
              guard: 'ourLookup',
              target: 'lookupProblem',
              actions: assign({ problem: 'notFound' as const }),
            },
            'lookup.failed': {
              guard: 'ourLookup',
              target: 'lookupProblem',
              actions: assign({ problem: 'failed' as const }),
            },
            // The register shows what we cannot price or time by ourselves: never guess, a person looks.
            'lookup.needsPerson': {
              guard: 'ourLookup',
              target: '#conversation.withAgent',
              actions: [
                {
                  type: 'reply',
                  params: ({ context }) => ({
                    message: copy.lookupNeedsPerson(context.registrationNumber ?? ''),
                  }),
                },
                {
                  type: 'handOver',
                  params: ({ event }) => ({ reason: `The CIPC lookup needs a person: ${event.reason}` }),
                },
              ],
            },
          },
        },
        lookupProblem: {
          entry: { type: 'ask', params: { step: 'lookupProblem' } },
          on: {
            'user.*': [{ guard: chose(CHOICE.retry), target: 'askRegistration' }, ...registrationAnswers],
          },
        },
        confirmCompany: {
          entry: { type: 'ask', params: { step: 'confirmCompany' } },
          on: {
            'user.*': [
              { guard: and([chose(CHOICE.companyYes), 'nothingDue']), target: 'notDue' },
              {
                guard: and([chose(CHOICE.companyYes), 'boMissing']),
                target: '#conversation.withAgent',
                actions: [
                  {
                    type: 'reply',
                    params: ({ context }) => ({
                      message: copy.boMissing(
                        context.company?.name ?? '',
                        Math.max(...context.years.map((year) => year.year)),
                      ),
                    }),
                  },
                  assign({ relookupAfterAgent: true }),
                  {
                    type: 'handOver',
                    params: { reason: 'No beneficial ownership declaration for the year to file.' },
                  },
                ],
              },
              { guard: chose(CHOICE.companyYes), target: 'askTurnover' },
              { guard: chose(CHOICE.companyNo), target: 'askRegistration' },
            ],
          },
        },
        notDue: {
          entry: { type: 'ask', params: { step: 'notDue' } },
          on: {
            'user.*': [
              { guard: chose(CHOICE.remind), target: 'idle', actions: 'remindWhenItOpens' },
              {
                // Also drops a reminder asked for on an earlier lookup: "no" is the latest word.
                guard: chose(CHOICE.noReminder),
                target: 'idle',
                actions: {
                  type: 'cancelReminders',
                  params: ({ context }) => ({
                    kind: 'annualReturnOpens',
                    registrationNumber: context.company?.registrationNumber ?? '',
                  }),
                },
              },
            ],
          },
        },
        idle: {
          entry: { type: 'ask', params: { step: 'idle' } },
          on: {
            'user.*': [
              { guard: chose(CHOICE.anotherCompany), target: 'askRegistration' },
              ...registrationAnswers,
            ],
          },
        },
        askTurnover: {
          entry: { type: 'ask', params: { step: 'askTurnover' } },
          on: {
            'user.*': [
              {
                guard: and(['turnoverGiven', 'moreYears']),
                target: 'askTurnover',
                reenter: true,
                actions: 'setTurnover',
              },
              { guard: and(['turnoverGiven', 'editing']), target: 'summary', actions: 'setTurnover' },
              { guard: 'turnoverGiven', target: 'askFas', actions: 'setTurnover' },
            ],
          },
        },
        askFas: {
          entry: { type: 'ask', params: { step: 'askFas' } },
          on: {
            'user.*': [
              {
                guard: chose(CHOICE.audited),
                target: '#conversation.withAgent',
                actions: [
                  { type: 'reply', params: { message: copy.auditedHandover() } },
                  {
                    type: 'handOver',
                    params: { reason: 'Audited financial statements: iXBRL filing needed.' },
                  },
                ],
              },
              {
                guard: chose(CHOICE.reviewed),
                target: '#conversation.withAgent',
                actions: [
                  { type: 'reply', params: { message: copy.auditedHandover() } },
                  {
                    type: 'handOver',
                    params: { reason: 'Independently reviewed statements: iXBRL filing needed.' },
                  },
                ],
              },
              { guard: and(['fasGiven', 'editing']), target: 'summary', actions: 'setFas' },
              { guard: and(['fasGiven', 'emailKnown']), target: 'confirmEmail', actions: 'setFas' },
              { guard: 'fasGiven', target: 'askEmail', actions: 'setFas' },
              {
                guard: 'hasDigits',
                actions: { type: 'misunderstood', params: { reason: copy.fasNotRead() } },
              },
            ],
          },
        },
        askEmail: {
          entry: { type: 'ask', params: { step: 'askEmail' } },
          on: {
            'user.*': [
              { guard: 'emailGiven', target: 'summary', actions: 'setEmail' },
              {
                guard: 'mentionsEmail',
                actions: { type: 'misunderstood', params: { reason: copy.emailNotRead() } },
              },
            ],
          },
        },
        confirmEmail: {
          entry: { type: 'ask', params: { step: 'confirmEmail' } },
          on: {
            'user.*': [
              { guard: chose(CHOICE.emailKeep), target: 'summary' },
              { guard: chose(CHOICE.emailChange), target: 'askEmail' },
              { guard: 'emailGiven', target: 'summary', actions: 'setEmail' },
            ],
          },
        },
        summary: {
          entry: [
            'refreshLateness',
            assign({ editing: false }),
            { type: 'ask', params: { step: 'summary' } },
          ],
          on: {
            'user.*': [
              {
                guard: and([chose(CHOICE.pay), 'canQuote']),
                target: 'creatingOrder',
                actions: [
                  assign({ orderRequested: true, order: undefined }),
                  { type: 'createOrder', params: ({ context }) => ({ order: orderOf(context) }) },
                ],
              },
              { guard: chose(CHOICE.change), target: 'change' },
            ],
          },
        },
        change: {
          entry: { type: 'ask', params: { step: 'change' } },
          on: {
            'user.*': [
              {
                guard: chose(CHOICE.changeTurnover),
                target: 'askTurnover',
                actions: assign({ editing: true, yearIndex: 0 }),
              },
              { guard: chose(CHOICE.changeFas), target: 'askFas', actions: assign({ editing: true }) },
              { guard: chose(CHOICE.changeEmail), target: 'askEmail', actions: assign({ editing: true }) },
              {
                guard: chose(CHOICE.changeCompany),
                target: 'askRegistration',
                actions: 'resetJourney',
              },
              { guard: chose(CHOICE.backToSummary), target: 'summary' },
            ],
          },
        },
        creatingOrder: {
          entry: { type: 'ask', params: { step: 'creatingOrder' } },
          // Only when resumed after the link arrived during an opt-out.
          always: { guard: 'hasOrder', target: 'awaitingPayment' },
          on: { 'user.*': waitingAnswers, 'reminder.due': reminderWhileWaiting },
        },
        awaitingPayment: {
          entry: { type: 'ask', params: { step: 'awaitingPayment' } },
          on: { 'user.*': waitingAnswers, 'reminder.due': reminderWhileWaiting },
        },
        orderExpired: {
          entry: { type: 'ask', params: { step: 'orderExpired' } },
          on: { 'user.*': { guard: chose(CHOICE.newLink), target: 'summary' } },
        },
        filing: {
          // Entered with the payment confirmation, which says what happens next.
          entry: { type: 'ask', params: { step: 'filing', silent: true } },
          on: { 'user.*': waitingAnswers, 'reminder.due': reminderWhileWaiting },
        },
      },
    },
    menu: {
      entry: { type: 'ask', params: { step: 'menu' } },
    },
    reminderOffer: {
      // Like the menu, outside the flow: "not now" resumes the step the reminder interrupted.
      entry: { type: 'ask', params: { step: 'reminderOffer' } },
      on: {
        'user.*': [
          { guard: chose(CHOICE.fileNow), target: '#conversation.flow.lookingUp', actions: 'fileReminded' },
          {
            guard: chose(CHOICE.notNow),
            target: '#conversation.flow.hist',
            actions: 'postponeReminder',
          },
          ...registrationAnswers,
        ],
      },
    },
    heldByAgent: {
      // The person answers: whatever the owner writes is theirs to read (the transcript), the bot says
      // nothing. Except STOP: an opt-out holds whoever has the chat (the person sees it, and can send no more).
      on: {
        'user.*': [
          {
            guard: isCommand('stop'),
            target: 'optedOut',
            actions: [
              { type: 'setOptOut', params: { optedOut: true } },
              { type: 'reply', params: { message: copy.optedOut() } },
            ],
          },
          {},
        ],
        'agent.assigned': { actions: ['takeAgent', 'announceAgent'] },
        'reminder.due': reminderWhileWaiting,
      },
    },
    withAgent: {
      // The hand-over told the owner a person replies; the person reads whatever they write meanwhile.
      entry: { type: 'ask', params: { step: 'withAgent', silent: true } },
      on: { 'user.*': { guard: 'isPlainAnswer' }, 'reminder.due': reminderWhileWaiting },
    },
    optedOut: {
      entry: { type: 'ask', params: { step: 'optedOut', silent: true } },
      on: {
        'user.*': [
          {
            guard: isCommand('start'),
            target: '#conversation.flow.hist',
            actions: [
              { type: 'setOptOut', params: { optedOut: false } },
              { type: 'reply', params: { message: copy.optedIn() } },
            ],
          },
          // The owner wrote to us: say once more how to turn messages back on, and nothing else.
          { actions: 'reAsk' },
        ],
        'typebot.intake': {},
        'order.created': { guard: 'orderPending', actions: 'storeOrder' },
        // Opted out: nothing is said, but the order is known to be paid (its filing is already queued).
        'payment.confirmed': [{ guard: 'ourUnpaidOrder', actions: 'confirmPayment' }, {}],
        'payment.reminderDue': {},
        'reminder.due': {},
        'order.expired': {},
        'filing.milestone': [{ guard: 'ourMilestone', actions: 'recordMilestone' }, {}],
        // A person may hold the chat of someone who opted out (to read it), but nothing reaches them.
        'agent.joined': { actions: 'takeAgent' },
        'agent.message': {},
        'agent.released': { actions: 'releaseAgent' },
      },
    },
  },
});
