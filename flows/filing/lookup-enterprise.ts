/** Contract of the short workflow that looks an enterprise up on the portal's public search. */
export const LOOKUP_ENTERPRISE_WORKFLOW = 'lookupEnterprise';

export interface LookupEnterpriseInput {
  registrationNumber: string;
  /** The conversation the result goes back to, as a `lookup.*` event. */
  conversationId: string;
}

/** The failure type of a lookup whose answer a person must read (a type or status we do not know). */
export const LOOKUP_NEEDS_PERSON = 'NeedsPerson';

export const lookupWorkflowId = (conversationId: string, registrationNumber: string, requestedAt: string) =>
  `lookup-${conversationId}-${registrationNumber.replaceAll('/', '')}-${requestedAt}`;
