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
