/**
 * Every word the owner reads, in English. A second language is a translated copy of this module (same
 * exports), never a fork of the machine. Button titles ≤ 20 characters, list rows ≤ 24 / 72, interactive
 * bodies ≤ 1024, text ≤ 4096: `copy.test.ts` and the machine tests hold every message to WhatsApp's limits.
 */
import { formatRand } from '../cipc/format-rand.js';
import type { TurnoverBand } from '../cipc/turnover-bands.js';
import { CHOICE, type GlobalCommand } from './choice.js';
import type { FasDetails, OutboundMessage } from './conversation-command.js';
import type { Step } from './conversation-context.js';
import type { FilingMilestone, PersonAnswer, Reminder } from './conversation-event.js';
import { maskIdNumber } from './mask-id-number.js';

/** Version of the consent and privacy text below; recorded with each consent. Bump it when they change. */
export const CONSENT_VERSION = 'privacy-en-2026-11';

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** "2019-03-14" as "14 March 2019". */
export function formatDate(isoDate: string): string {
  const [year, month, day] = isoDate.slice(0, 10).split('-').map(Number) as [number, number, number];
  return `${day} ${MONTHS[month - 1]} ${year}`;
}

const text = (body: string): OutboundMessage => ({ kind: 'text', text: body });
const buttons = (body: string, ...choices: [id: string, title: string][]): OutboundMessage => ({
  kind: 'buttons',
  text: body,
  buttons: choices.map(([id, title]) => ({ id, title })),
});

const TALK_TO_PERSON: [string, string] = [CHOICE.agent, 'Talk to a person'];
const EXAMPLE_NUMBER = '2019/123456/07';

/** Whole messages that mean a global command, typed in any case, besides the command word itself. */
export const COMMAND_WORDS: Readonly<Record<GlobalCommand | 'start', readonly string[]>> = {
  help: ['help', '?', 'info'],
  status: ['status', 'where am i', 'progress'],
  agent: ['agent', 'human', 'person', 'talk to a person', 'speak to a person', 'call me', 'consultant'],
  menu: ['menu', 'main menu', 'options'],
  restart: ['restart', 'start again', 'start over', 'reset', 'begin again'],
  stop: ['stop', 'unsubscribe', 'opt out', 'optout', 'stop messages'],
  start: ['start', 'unstop', 'opt in', 'subscribe'],
};

/** Typed words that count as tapping a button, besides its title. */
export const CHOICE_WORDS: Readonly<Partial<Record<string, readonly string[]>>> = {
  [CHOICE.agree]: ['agree', 'yes', 'ok', 'okay', 'i accept', 'accept', 'yebo'],
  [CHOICE.privacy]: ['privacy', 'privacy notice', 'read privacy notice'],
  [CHOICE.decline]: ['no', 'no thanks', 'decline'],
  [CHOICE.companyYes]: ['yes', 'y', 'yep', 'yebo', 'ja', 'correct', "that's it", 'that is it'],
  [CHOICE.companyNo]: ['no', 'n', 'nope', 'nee', 'wrong'],
  [CHOICE.retry]: ['try again', 'again', 'another number'],
  [CHOICE.remind]: ['yes', 'remind me', 'please'],
  [CHOICE.noReminder]: ['no', 'no thanks'],
  [CHOICE.fileNow]: ['yes', 'file', 'file it', 'ok', 'please'],
  [CHOICE.notNow]: ['no', 'later', 'not yet', 'no thanks'],
  [CHOICE.audited]: ['audited', 'audit'],
  [CHOICE.reviewed]: ['reviewed', 'independently reviewed', 'review'],
  [CHOICE.emailKeep]: ['yes', 'ok', 'correct'],
  [CHOICE.emailChange]: ['no', 'change', 'change it'],
  [CHOICE.pay]: ['pay', 'yes', 'pay now', 'ok'],
  [CHOICE.change]: ['change', 'edit'],
  [CHOICE.continue]: ['continue', 'carry on', 'go on', 'back'],
  [CHOICE.backToSummary]: ['back', 'summary'],
};

export const copy = {
  welcome: (serviceFeeCents: number) =>
    buttons(
      [
        "Hi! I'm the CIPC Agent. I file your company's or close corporation's annual return with CIPC, right here on WhatsApp.",
        '',
        `Price: our service fee of ${formatRand(serviceFeeCents)}, plus CIPC's own fee at cost (from R100 a year, more if late). You see the exact total before you pay.`,
        '',
        'To file, I need to keep details about your company (registration number, turnover, who keeps the records, an email). We use them only to file your return, as our privacy notice (POPIA) explains. Do you agree?',
      ].join('\n'),
      [CHOICE.agree, 'I agree'],
      [CHOICE.privacy, 'Privacy notice'],
      [CHOICE.decline, 'No thanks'],
    ),
  consentAgain: () =>
    buttons(
      'Do you agree that we keep your company details to file its annual return?',
      [CHOICE.agree, 'I agree'],
      [CHOICE.privacy, 'Privacy notice'],
      [CHOICE.decline, 'No thanks'],
    ),
  typebotWelcome: (name: string) =>
    text(`Hi ${name}, thanks for starting on our website. Let's carry on here on WhatsApp.`),
  privacyNotice: () =>
    text(
      [
        'Privacy notice (POPIA), in short:',
        '• We keep your phone number, and once you agree: your company registration number, turnover range, the names and ID numbers of whoever keeps the accounting records and prepared the financial statements, and an email address.',
        '• We use them only to file your annual return at CIPC and to tell you how it went. CIPC receives what the return needs.',
        '• ID numbers and emails are stored encrypted. Payment is handled by PayFast or Ozow; we never see card details.',
        '• You can ask what we hold, ask us to correct or delete it, or stop messages any time: type STOP, or AGENT to reach a person.',
      ].join('\n'),
    ),
  declined: () =>
    text(
      "No problem: I've kept nothing except your number. If you change your mind, just send hi. Type STOP if you'd rather not hear from us.",
    ),
  askRegistration: () =>
    text(
      `Please send your company's registration number, like ${EXAMPLE_NUMBER} (a close corporation looks like 1998/012345/23).`,
    ),
  lookingUp: (registrationNumber: string) =>
    text(`Looking up ${registrationNumber} at CIPC. This takes a few seconds…`),
  stillLookingUp: () => text("Still looking it up at CIPC; I'll answer as soon as it's back."),
  lookupProblem: (problem: 'notFound' | 'failed' | 'notFileable', registrationNumber: string) =>
    buttons(
      {
        notFound: `I couldn't find ${registrationNumber} at CIPC. Please check the number (it is on the company's registration certificate) and try again, or ask a person.`,
        failed: `CIPC's search isn't answering right now, so I couldn't look up ${registrationNumber}. Please try again in a few minutes, or ask a person.`,
        notFileable: `${registrationNumber} is a co-operative. Co-operatives report under the Co-operatives Act, and I only file company and close corporation annual returns. A person can point you the right way.`,
      }[problem],
      [CHOICE.retry, 'Try another number'],
      TALK_TO_PERSON,
    ),
  confirmCompany: (name: string, incorporationDate: string) =>
    buttons(
      `Is this ${name}, registered ${formatDate(incorporationDate)}?`,
      [CHOICE.companyYes, 'Yes'],
      [CHOICE.companyNo, 'No, another number'],
    ),
  lookupNeedsPerson: (registrationNumber: string) =>
    text(
      `CIPC's register shows something about ${registrationNumber} that I can't read with certainty, so I won't guess what to file or what it costs. I've asked a person from our team to check it.`,
    ),
  deregistered: (name: string) =>
    buttons(
      `CIPC shows ${name} as finally deregistered, so no annual return can be filed for it. It first has to be reinstated at CIPC, which is a separate process. A person can help you with that.`,
      TALK_TO_PERSON,
      [CHOICE.retry, 'Another number'],
    ),
  notDue: (name: string, opens: string, due: string) =>
    buttons(
      `Good news: ${name} has no annual return due right now. The next one opens on ${formatDate(opens)} and is due by ${formatDate(due)}. Shall I remind you when it opens?`,
      [CHOICE.remind, 'Remind me'],
      [CHOICE.noReminder, 'No thanks'],
    ),
  reminderNoted: (opens: string) =>
    text(`Noted: I'll remind you here when it opens on ${formatDate(opens)}.`),
  reminderOffer: (reminder: Reminder) =>
    buttons(
      `${reminderLine(reminder)} Shall I file it for you now?`,
      [CHOICE.fileNow, 'File now'],
      [CHOICE.notNow, 'Not now'],
    ),
  /** The reminder when the owner is in the middle of something else: said, not asked. */
  reminderNote: (reminder: Reminder) =>
    text(
      `${reminderLine(reminder)} Once we're done here, send me ${reminder.registrationNumber} and I'll file it.`,
    ),
  reminderLater: (reminder: Reminder) =>
    text(
      `No problem. Send me ${reminder.registrationNumber} whenever you're ready; it is due by ${formatDate(reminder.annualReturn.due)}.`,
    ),
  idle: () =>
    buttons('Anything else I can help with?', [CHOICE.anotherCompany, 'File for a company'], TALK_TO_PERSON),
  boMissing: (name: string, year: number) =>
    text(
      `One thing first: since July 2024 CIPC only accepts an annual return once the company has a beneficial ownership (BO) declaration for the same year, and CIPC shows none for ${name} for ${year}. CIPC blocks the filing until it is done, so I'm handing you to a person who can help with the BO declaration.`,
    ),
  askTurnover: (
    position: { index: number; count: number },
    year: { year: number; due: string; late: boolean },
    bands: readonly TurnoverBand[],
  ): OutboundMessage => ({
    kind: 'list',
    text: [
      position.count > 1
        ? `Annual return ${position.index + 1} of ${position.count}: ${year.year}`
        : `Annual return for ${year.year}`,
      year.late
        ? `It was due by ${formatDate(year.due)}, so it is late and CIPC charges its late fee.`
        : `It is due by ${formatDate(year.due)}: on time.`,
      '',
      'What was the annual turnover in the financial year before it? Pick a range, or type it (like "about 2 million" or "R850k").',
    ].join('\n'),
    button: 'Choose turnover',
    rows: bands.map((band) => ({ id: band.id, title: band.title, description: band.description })),
  }),
  askFas: () =>
    buttons(
      [
        'Every annual return needs a Financial Accountability Supplement: who keeps the accounting records and who prepared the financial statements.',
        '',
        'Please send their name and ID number (or registration or practice number), like:',
        'Thandi Mokoena 8001015009087',
        'If they are two different people, send two lines: the records keeper first, then the preparer.',
        '',
        'Were the statements audited or independently reviewed? Then tap a button instead.',
      ].join('\n'),
      [CHOICE.audited, 'Audited'],
      [CHOICE.reviewed, 'Reviewed'],
    ),
  fasNotRead: () =>
    "I couldn't read a name and an ID number there. Please send one line per person, like: Thandi Mokoena 8001015009087.",
  auditedHandover: () =>
    text(
      'Audited or independently reviewed statements are filed with CIPC as iXBRL financial statements rather than the supplement, and a person prepares those with you. I am handing you over.',
    ),
  askEmail: () => text("Which email address should CIPC's filing confirmation go to?"),
  emailNotRead: () => "That doesn't look like an email address. Please send it like thandi@example.co.za.",
  confirmEmail: (email: string) =>
    buttons(
      `Shall CIPC's confirmation go to ${email}?`,
      [CHOICE.emailKeep, 'Yes, use it'],
      [CHOICE.emailChange, 'Change email'],
    ),
  summary: (summary: {
    companyName: string;
    registrationNumber: string;
    years: { year: number; late: boolean; bandTitle: string; feeCents: number }[];
    serviceFeeCents: number;
    totalCents: number;
    fas: FasDetails;
    email: string;
  }) =>
    text(
      [
        `Summary for ${summary.companyName} (${summary.registrationNumber}):`,
        '',
        ...summary.years.map(
          (year) =>
            `• ${year.year} annual return${year.late ? ' (late)' : ''}, turnover ${year.bandTitle}: CIPC fee ${formatRand(year.feeCents)}`,
        ),
        `• Our service fee: ${formatRand(summary.serviceFeeCents)}`,
        `Total: ${formatRand(summary.totalCents)}`,
        '',
        `Records kept by ${personLine(summary.fas.recordsKeeper)}; statements prepared by ${personLine(summary.fas.preparer)}.`,
        `CIPC confirmation to ${summary.email}.`,
      ].join('\n'),
    ),
  payQuestion: (totalCents: number) =>
    buttons(
      `Shall I file it for ${formatRand(totalCents)}? You'll get a secure payment link (card, EFT or instant EFT).`,
      [CHOICE.pay, 'Pay now'],
      [CHOICE.change, 'Change something'],
      TALK_TO_PERSON,
    ),
  change: (): OutboundMessage => ({
    kind: 'list',
    text: 'What would you like to change?',
    button: 'Choose',
    rows: [
      { id: CHOICE.changeTurnover, title: 'Turnover', description: 'Choose the turnover range again' },
      {
        id: CHOICE.changeFas,
        title: 'Records and preparer',
        description: 'Who keeps the records and prepared the statements',
      },
      { id: CHOICE.changeEmail, title: 'Email', description: "Where CIPC's confirmation goes" },
      {
        id: CHOICE.changeCompany,
        title: 'Company',
        description: 'Start again with another registration number',
      },
      { id: CHOICE.backToSummary, title: 'Nothing, back', description: 'Back to the summary and payment' },
    ],
  }),
  creatingOrder: () => text('Preparing your secure payment link…'),
  paymentLink: (order: { reference: string; totalCents: number; payUrl: string; expiresAt: string }) => ({
    kind: 'link' as const,
    text: `Here is your payment link for ${formatRand(order.totalCents)} (reference ${order.reference}). It is valid until ${formatDate(order.expiresAt)}. As soon as the payment comes through, I start filing and keep you posted here.`,
    url: order.payUrl,
    label: 'Pay now',
  }),
  paymentReminder: (order: { totalCents: number; payUrl: string }) => ({
    kind: 'link' as const,
    text: `A friendly reminder: your annual return is ready to file as soon as the payment of ${formatRand(order.totalCents)} comes through. Questions? Type AGENT.`,
    url: order.payUrl,
    label: 'Pay now',
  }),
  orderExpired: () =>
    buttons(
      'Your payment link has expired, so nothing was charged. Shall I make a new one (fees are checked again), or start over?',
      [CHOICE.newLink, 'New payment link'],
      [CHOICE.restart, 'Start again'],
      TALK_TO_PERSON,
    ),
  paymentConfirmed: (amountCents: number) =>
    text(
      `Payment of ${formatRand(amountCents)} received, thank you! I'm starting your filing at CIPC now and will message you at each step.`,
    ),
  filingStarted: () => text('Filing started: I am logging in to CIPC for you.'),
  yearSubmitted: (year: number, arReference: string) =>
    text(`Your ${year} annual return is submitted to CIPC (reference ${arReference}).`),
  filingWaits: () =>
    text(
      'The filing needs a quick check by one of our people before it can continue. Nothing is lost; I will tell you when it moves on.',
    ),
  filingDelayed: () =>
    text('CIPC is slow right now, so the filing takes longer than usual. I will keep trying.'),
  filingFailed: () =>
    text('The filing hit a problem at CIPC that a person needs to look at. Your payment is safe.'),
  filingCompleted: (arReferences: readonly string[]) =>
    text(
      `Done! Your annual return${arReferences.length > 1 ? 's are' : ' is'} filed at CIPC. Reference${arReferences.length > 1 ? 's' : ''}: ${arReferences.join(', ')}. CIPC also emails its confirmation. Here is your certificate:`,
    ),
  filingResumed: (by: PersonAnswer) =>
    text(
      {
        retry: 'One of our people sorted out what held up your filing; it continues now.',
        captcha: 'One of our people entered the CIPC security code; your filing continues.',
        balanceToppedUp: 'Our CIPC account is topped up; your filing continues.',
      }[by],
    ),
  filingCancelled: (refundNote: string | undefined) =>
    text(
      `Your filing was cancelled: nothing more will be filed for this order.\n${refundNote ? `Your refund: ${refundNote}` : 'A person from our team will be in touch about your refund.'}`,
    ),
  filedByHand: (arReferences: readonly string[]) =>
    text(
      `Done! One of our people filed your annual return${arReferences.length > 1 ? 's' : ''} at CIPC. Reference${arReferences.length > 1 ? 's' : ''}: ${arReferences.join(', ')}. CIPC emails its confirmation.`,
    ),
  certificate: (url: string, filename: string): OutboundMessage => ({
    kind: 'document',
    url,
    filename,
    caption: 'Annual return certificate (CIPC)',
  }),
  /** What the owner hears of a filing step; logging in is too fine-grained to be worth a message. */
  milestone: (milestone: FilingMilestone): OutboundMessage[] => {
    switch (milestone.kind) {
      case 'started':
        return [copy.filingStarted()];
      case 'loggedIn':
        return [];
      case 'yearSubmitted':
        return [copy.yearSubmitted(milestone.year, milestone.arReference)];
      case 'waitingForPerson':
        return [copy.filingWaits()];
      case 'delayed':
        return [copy.filingDelayed()];
      case 'failed':
        return [copy.filingFailed()];
      case 'completed':
        return [
          copy.filingCompleted(milestone.arReferences),
          copy.certificate(milestone.certificateUrl, milestone.certificateFilename),
        ];
      case 'resumed':
        return [copy.filingResumed(milestone.by)];
      case 'cancelled':
        return [copy.filingCancelled(milestone.refundNote)];
      case 'filedByHand':
        return [copy.filedByHand(milestone.arReferences)];
    }
  },
  filingInProgress: () =>
    text(
      'Your filing is in progress at CIPC. I will message you at each step; type AGENT if something is urgent.',
    ),
  agentRequested: (wait: 'soon' | 'nextBusinessDay') =>
    text(
      wait === 'soon'
        ? 'A person from our team will reply here, usually within 15 minutes.'
        : 'Our team is offline now (weekdays 8:00 to 17:00). A person will reply here on the next business day.',
    ),
  agentAlreadyRequested: () => text('A person already has your conversation and will reply here soon.'),
  agentReleased: () => text("You're back with the CIPC Agent bot."),
  /** Only the first name: enough to know a person is there, no more of the agent than the owner needs. */
  agentJoined: (agentName: string) => {
    const first = agentName.trim().split(/\s+/)[0];
    return text(`${first} joined. ${first} is a person from our team and will answer you here.`);
  },
  help: () =>
    text(
      [
        'I file CIPC annual returns for companies and close corporations. You can type at any time:',
        '• STATUS: where you are and what is next',
        '• MENU: your options',
        '• AGENT: talk to a person',
        '• RESTART: start again',
        '• STOP: no more messages (START turns them back on)',
      ].join('\n'),
    ),
  status: (where: string, next: string) => text(`Where you are: ${where}\nNext: ${next}`),
  menu: (): OutboundMessage => ({
    kind: 'list',
    text: 'What would you like to do?',
    button: 'Options',
    rows: [
      { id: CHOICE.continue, title: 'Continue', description: 'Carry on where we were' },
      { id: CHOICE.status, title: 'Status', description: 'Where you are and what is next' },
      { id: CHOICE.restart, title: 'Start again', description: 'File for a company from the beginning' },
      { id: CHOICE.agent, title: 'Talk to a person', description: 'A person from our team replies here' },
      { id: CHOICE.stop, title: 'Stop messages', description: 'No more messages until you send START' },
    ],
  }),
  optedOut: () =>
    text("Done: you won't get any more messages from us. Send START any time to turn them back on."),
  stillOptedOut: () => text('Messages are switched off. Send START to turn them back on.'),
  optedIn: () => text('Welcome back! Messages are on again.'),
  restarting: () => text("Let's start again."),
  pleaseType: () =>
    text(
      'Sorry, I can only read typed messages, not pictures, voice notes or files. Please type your answer.',
    ),
  notUnderstood: () => "Sorry, I didn't catch that.",
  offerPerson: () =>
    buttons(
      "I'm having trouble understanding, sorry. Would you like a person to help?",
      TALK_TO_PERSON,
      [CHOICE.menu, 'Menu'],
      [CHOICE.continue, 'Try again'],
    ),
};

/** Sent by the engine when a saved conversation could not be carried over to a new version of the bot. */
export const restartNotice: OutboundMessage = text(
  "Sorry, we've updated our service and I lost track of where we were. Let's start again: send hi, or type AGENT to reach a person.",
);

function reminderLine({ companyName, registrationNumber, annualReturn }: Reminder): string {
  return `The reminder you asked for: the ${annualReturn.year} annual return for ${companyName} (${registrationNumber}) opened at CIPC on ${formatDate(annualReturn.opens)} and is due by ${formatDate(annualReturn.due)}.`;
}

/** The ID number masked: the summary lands on the transcript and on the owner's phone. */
function personLine(person: FasDetails['recordsKeeper']): string {
  return `${person.name} (${maskIdNumber(person.idNumber)})`;
}

/** What `status` says for each step: where the owner is and what comes next. */
export const STATUS: Readonly<Record<Step, { where: string; next: string }>> = {
  new: { where: 'just starting.', next: 'say hi and I explain how it works.' },
  consent: { where: 'the privacy question.', next: 'agree, and send your registration number.' },
  declined: { where: 'you chose not to continue.', next: 'send hi if you change your mind.' },
  askRegistration: { where: 'I need the registration number.', next: 'I look the company up at CIPC.' },
  lookingUp: { where: 'I am looking the company up at CIPC.', next: 'you confirm it is the right company.' },
  lookupProblem: {
    where: 'the number did not lead to a company I can file for.',
    next: 'try another number or talk to a person.',
  },
  confirmCompany: { where: 'confirming the company.', next: 'the turnover for each outstanding year.' },
  notDue: { where: 'nothing is due yet.', next: 'a reminder when the next return opens, if you like.' },
  idle: { where: 'nothing is open.', next: 'file for a company, or talk to a person.' },
  reminderOffer: {
    where: 'your reminder: an annual return is open at CIPC.',
    next: 'I file it now, or you send its number when you are ready.',
  },
  askTurnover: {
    where: 'the turnover for each outstanding year.',
    next: 'who keeps the records and prepared the statements.',
  },
  askFas: {
    where: 'who keeps the records and prepared the statements.',
    next: 'an email for the CIPC confirmation.',
  },
  askEmail: { where: 'the email for the CIPC confirmation.', next: 'the summary and the price.' },
  confirmEmail: {
    where: 'confirming the email for the CIPC confirmation.',
    next: 'the summary and the price.',
  },
  summary: { where: 'the summary and the price.', next: 'the payment link.' },
  change: { where: 'changing an answer.', next: 'back to the summary.' },
  creatingOrder: { where: 'preparing your payment link.', next: 'you pay, then I file.' },
  awaitingPayment: {
    where: 'waiting for your payment.',
    next: 'I file at CIPC as soon as it comes through.',
  },
  orderExpired: { where: 'the payment link expired.', next: 'a new link, or start again.' },
  filing: { where: 'your filing is in progress at CIPC.', next: 'your certificate, here in this chat.' },
  menu: { where: 'the menu.', next: 'pick an option.' },
  withAgent: { where: 'waiting for a person from our team.', next: 'they reply here.' },
  optedOut: { where: 'messages are switched off.', next: 'send START to turn them back on.' },
};
