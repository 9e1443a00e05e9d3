/** Contract of the long workflow that files and pays a paid order's annual returns at CIPC. */
export const FILE_ANNUAL_RETURNS_WORKFLOW = 'fileAnnualReturns';

/** One workflow per order, ever: a duplicate payment webhook finds the same id and starts nothing. */
export const filingWorkflowId = (orderId: string) => `filing-${orderId}`;

/**
 * Only ids and amounts travel through Temporal's history; personal data (email, FAS details) is read
 * from the database by the activity that needs it.
 */
export interface OrderToFile {
  orderId: string;
  conversationId: string;
  reference: string;
  registrationNumber: string;
  years: { year: number; turnoverBandId: string; late: boolean; feeCents: number }[];
  cipcFeeCents: number;
}

/** Signals a person (through the agent console) sends a filing that waits for them. */
export const FILING_SIGNALS = {
  /** Try the blocked step again now (after fixing whatever blocked it). */
  retryNow: 'retryNow',
  /** The text of the security code, typed by a person when the captcha service is down. */
  captchaAnswer: 'captchaAnswer',
  /** The customer-code balance was topped up: try the payment again. */
  balanceToppedUp: 'balanceToppedUp',
  /** A person filed the returns by hand: finish with these AR references. */
  markFiledManually: 'markFiledManually',
  cancel: 'cancel',
} as const;

export interface CaptchaAnswerSignal {
  text: string;
}
export interface MarkFiledManuallySignal {
  arReferences: string[];
  by: string;
}
export interface CancelFilingSignal {
  reason: string;
  by: string;
  /** What the owner is told about the money they paid (the agent console always sends one). */
  refundNote?: string;
}

/** Query name: the filing's progress, for the agent console. */
export const FILING_PROGRESS_QUERY = 'progress';

export type FilingStatus = 'running' | 'waiting_for_person' | 'filed' | 'failed' | 'cancelled';

export interface FilingProgress {
  orderId: string;
  status: FilingStatus;
  /** The step being worked on, or the one that waits. */
  step: string;
  /** Years this filing submits; years the portal already shows filed are skipped. */
  yearsToFile: number[];
  skippedYears: number[];
  arReferences: string[];
  /** Why it waits for a person, while it does. */
  waitingFor?: string;
  /** Image of the security code a person is asked to read (captcha service down). */
  captchaImagePath?: string;
  certificateUrl?: string;
}

export interface FilingResult {
  status: 'filed' | 'failed' | 'cancelled';
  arReferences: string[];
  certificateUrl?: string;
  reason?: string;
}
