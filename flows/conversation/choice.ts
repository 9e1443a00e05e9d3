/**
 * Ids of the buttons and list rows the machine sends. They come back in `user.choice` events, so they are
 * part of the persisted conversation: rename one only with a snapshot migration.
 */
export const CHOICE = {
  agree: 'consent.agree',
  privacy: 'consent.privacy',
  decline: 'consent.decline',
  retry: 'registration.retry',
  companyYes: 'company.yes',
  companyNo: 'company.no',
  remind: 'reminder.yes',
  noReminder: 'reminder.no',
  fileNow: 'reminder.fileNow',
  notNow: 'reminder.notNow',
  audited: 'fas.audited',
  reviewed: 'fas.reviewed',
  emailKeep: 'email.keep',
  emailChange: 'email.change',
  pay: 'summary.pay',
  change: 'summary.change',
  changeTurnover: 'change.turnover',
  changeFas: 'change.fas',
  changeEmail: 'change.email',
  changeCompany: 'change.company',
  backToSummary: 'change.back',
  newLink: 'order.newLink',
  anotherCompany: 'idle.another',
  continue: 'menu.continue',
  // Global commands: valid in every state, as a tap or typed.
  agent: 'agent',
  help: 'help',
  status: 'status',
  menu: 'menu',
  restart: 'restart',
  stop: 'stop',
  start: 'start',
} as const;

export type ChoiceId = (typeof CHOICE)[keyof typeof CHOICE];

export const GLOBAL_COMMANDS = ['agent', 'help', 'status', 'menu', 'restart', 'stop'] as const;
export type GlobalCommand = (typeof GLOBAL_COMMANDS)[number];
