import { button, textBox } from '../controls.js';

/**
 * Screens the real portal can put in the robot's way that the filing path does not include. The worker
 * must recognise none of them and hand the filing to a person; a knob (`control.interrupt`) shows each.
 */
export type PortalInterruption =
  | 'customerVerification'
  | 'passwordReset'
  | 'cardPayment'
  | 'ixbrlUpload'
  | 'changedLayout';

export interface InterruptionScreen {
  title: string;
  body: string;
}

/** Since March 2024 a customer's first login asks for a Home Affairs check of the director's ID. */
export const CUSTOMER_VERIFICATION: InterruptionScreen = {
  title: 'Customer Verification',
  body: `<p>Your customer code must be verified before you can transact. Enter your South African ID number; it
will be verified against the Department of Home Affairs, and an email link will be sent to confirm your address.</p>
${textBox('txtIdNumber', 'ID number')}${button('btnVerify', 'Verify')}`,
};

export const PASSWORD_RESET: InterruptionScreen = {
  title: 'Change Password',
  body: `<p>Your password has expired. Please change your password to continue.</p>
${textBox('txtOldPassword', 'Current password', { type: 'password' })}
${textBox('txtNewPassword', 'New password', { type: 'password' })}
${button('btnChangePassword', 'Change password')}`,
};

/** The card route (CIPC's v5.1 guide): the bank's 3-D Secure step sends an OTP to the cardholder. */
export const CARD_PAYMENT: InterruptionScreen = {
  title: 'Payment Gateway',
  body: `<h2>Pay by card - 3-D Secure</h2><p>Enter your card details. Your bank will send a one-time PIN (OTP) to
the cardholder's phone.</p>
${textBox('txtCardNumber', 'Card number')}${textBox('txtExpiry', 'Expiry (MM/YY)')}${textBox('txtCvv', 'CVV')}
${button('btnPayCard', 'Pay now')}`,
};

/** Audited companies file their financial statements as iXBRL before the annual return. */
export const IXBRL_UPLOAD: InterruptionScreen = {
  title: 'Upload Financial Statements',
  body: `<h2>iXBRL Annual Financial Statements</h2><p>Audited annual financial statements must be submitted in iXBRL
format before the annual return can be filed.</p>
<div class="field"><label for="cntMain_fuIxbrl">iXBRL file</label><input type="file" id="cntMain_fuIxbrl" name="ctl00$cntMain$fuIxbrl" /></div>
${button('btnUpload', 'Upload')}`,
};

/** A redesigned first filing step: the controls renamed, so nothing the robot knows is there. */
export const CHANGED_LAYOUT: InterruptionScreen = {
  title: 'File Annual Returns',
  body: `<p>Select the company and continue.</p>
${textBox('txtRegNo', 'Company registration number')}${button('btnNext', 'Next')}`,
};
