/** What came of one provider notification, kept on its payment_notifications row. */
export interface NotificationVerdict {
  /** `pending`: not decided yet (a provider or our database was unreachable); a retry will decide. */
  outcome: 'accepted' | 'rejected' | 'ignored' | 'pending';
  reason: string;
}
