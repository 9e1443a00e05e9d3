/**
 * Replies agents send often, offered in the console's picker. Picking one fills the reply box (the agent
 * can still edit it); nothing is sent until the agent presses Send.
 */
export const CANNED_RESPONSES: readonly { label: string; text: string }[] = [
  { label: 'Greeting', text: 'Hi, thanks for your patience. I’m looking at your annual return now.' },
  {
    label: 'Checking with CIPC',
    text: 'I’m checking this with CIPC and will come back to you here shortly.',
  },
  {
    label: 'Captcha delay',
    text: 'The CIPC site asked us for an extra security check. I’ve done it by hand and your filing is carrying on.',
  },
  {
    label: 'Payment received',
    text: 'Your payment has come through. We’re filing with CIPC now and will send the confirmation here.',
  },
  {
    label: 'Refund',
    text: 'We’ve cancelled this filing and refunded your payment in full. It can take 3–5 working days to reflect.',
  },
  {
    label: 'Handing back',
    text: 'I’m handing you back to our assistant now. Reply “agent” any time to reach us again.',
  },
];
