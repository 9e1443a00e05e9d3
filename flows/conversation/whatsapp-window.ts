/** WhatsApp's customer-service window: free-form messages only this long after the user's last message. */
export const WHATSAPP_WINDOW_MS = 24 * 60 * 60 * 1000;

/** When the window the user's last message opened closes; null when they never wrote. */
export function windowClosesAt(lastInboundAt: Date | null): Date | null {
  return lastInboundAt === null ? null : new Date(lastInboundAt.getTime() + WHATSAPP_WINDOW_MS);
}
