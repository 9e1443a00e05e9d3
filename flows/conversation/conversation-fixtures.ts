/** Companies, times and a driver shared by the conversation tests (not a test file itself). */
import { initialTransition, transition } from 'xstate';
import { commandsOf } from './commands-of.js';
import type { ConversationCommand, OutboundMessage } from './conversation-command.js';
import type { CompanyFacts, ConversationEvent } from './conversation-event.js';
import { conversationMachine } from './conversation-machine.js';

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
export type EventWithoutTime = DistributiveOmit<ConversationEvent, 'at'>;

/** Saturday 21 November 2026, 11:00 in Johannesburg. */
export const NOW = '2026-11-21T09:00:00Z';
export const WEEKDAY_MORNING = '2026-11-23T08:00:00Z';
export const INPUT = { phone: '+27821234567', serviceFeeCents: 199_00 };

export const ACME: CompanyFacts = {
  registrationNumber: '2019/123456/07',
  name: 'ACME TRADING (PTY) LTD',
  enterpriseType: 'private-company',
  status: 'in business',
  incorporationDate: '2019-03-14',
  filedYears: [2020, 2021, 2022, 2023, 2024, 2025],
  boYear: 2026,
};
/** Filed 2020–2024: 2025 and 2026 are outstanding and late on 21 November 2026. */
export const ACME_TWO_LATE: CompanyFacts = { ...ACME, filedYears: [2020, 2021, 2022, 2023, 2024] };
export const ACME_NOT_DUE: CompanyFacts = { ...ACME, filedYears: [2020, 2021, 2022, 2023, 2024, 2025, 2026] };
export const ACME_NO_BO: CompanyFacts = { ...ACME, boYear: 2025 };
export const ACME_DEREGISTERED: CompanyFacts = { ...ACME, status: 'deregistered' };
export const BUSY_BEE_CC: CompanyFacts = {
  registrationNumber: '1998/012345/23',
  name: 'BUSY BEE TRADERS CC',
  enterpriseType: 'close-corporation',
  status: 'in business',
  incorporationDate: '1998-07-01',
  filedYears: Array.from({ length: 27 }, (_, i) => 1999 + i),
  boYear: 2026,
};

export const FAS_LINE = 'Thandi Mokoena 8001015009087';

export function converse(input = INPUT) {
  let [snapshot, actions] = initialTransition(conversationMachine, input);
  const transcript: ConversationCommand[] = commandsOf(actions);
  let typedOrTapped = 0;
  const send = (event: EventWithoutTime, at = NOW): ConversationCommand[] => {
    if (event.type === 'user.text' || event.type === 'user.choice') typedOrTapped++;
    [snapshot, actions] = transition(conversationMachine, snapshot, { ...event, at } as ConversationEvent);
    const commands = commandsOf(actions);
    transcript.push(...commands);
    return commands;
  };
  return {
    send,
    say: (text: string, at?: string) => send({ type: 'user.text', text }, at),
    tap: (id: string, at?: string) => send({ type: 'user.choice', id, title: id }, at),
    get snapshot() {
      return snapshot;
    },
    get step() {
      return snapshot.context.step;
    },
    get typedOrTapped() {
      return typedOrTapped;
    },
    transcript,
  };
}

export const repliesOf = (commands: readonly ConversationCommand[]): OutboundMessage[] =>
  commands.flatMap((command) => (command.type === 'reply' ? [command.message] : []));

/** Everything the owner would read, as one string, for `includes` checks. */
export const textOf = (commands: readonly ConversationCommand[]): string =>
  repliesOf(commands)
    .map((message) => ('text' in message ? message.text : message.filename))
    .join('\n---\n');

export const ofType = <K extends ConversationCommand['type']>(
  commands: readonly ConversationCommand[],
  type: K,
): Extract<ConversationCommand, { type: K }>[] =>
  commands.filter((command): command is Extract<ConversationCommand, { type: K }> => command.type === type);
