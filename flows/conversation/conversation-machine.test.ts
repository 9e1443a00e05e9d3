import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FilingMilestone } from './conversation-event.js';
import {
  ACME,
  ACME_DEREGISTERED,
  ACME_NO_BO,
  ACME_NOT_DUE,
  ACME_TWO_LATE,
  BUSY_BEE_CC,
  converse,
  FAS_LINE,
  NOW,
  ofType,
  repliesOf,
  textOf,
  WEEKDAY_MORNING,
} from './conversation-fixtures.js';
import { CONSENT_VERSION } from './copy.js';

/** A consenting owner whose number is being looked up. */
function lookingUp(registration = '2019/123456/07') {
  const chat = converse();
  chat.say('hi');
  chat.say('I agree');
  chat.say(registration);
  return chat;
}

/** An owner at the turnover question for `company`. */
function atTurnover(company = ACME) {
  const chat = lookingUp(company.registrationNumber);
  chat.send({ type: 'lookup.found', company });
  chat.say('yes');
  return chat;
}

const COMPLETED: FilingMilestone = {
  kind: 'completed',
  arReferences: ['AR2026-1'],
  certificateUrl: 'https://files.example/cert.pdf',
  certificateFilename: 'ACME-AR-2026.pdf',
};

function toPaymentLink(chat = atTurnover()) {
  chat.say('about 2 million');
  chat.say(FAS_LINE);
  chat.say('thandi@acme.co.za');
  const createOrder = ofType(chat.say('Pay now'), 'createOrder');
  const link = chat.send({
    type: 'order.created',
    orderId: 'order-1',
    reference: 'CA-0001',
    payUrl: 'https://pay.example/pay/abc',
    expiresAt: '2026-11-28T09:00:00Z',
  });
  return { chat, createOrder, link };
}

describe('conversation machine: the main journey', () => {
  it('takes a new owner with one outstanding year to the payment link in at most 8 messages', () => {
    const chat = converse();
    const welcome = chat.say('hi');
    assert.match(textOf(welcome), /R199\.00/);
    assert.match(textOf(welcome), /CIPC's own fee at cost/);
    assert.deepEqual(
      repliesOf(welcome).flatMap((m) => (m.kind === 'buttons' ? m.buttons.map((b) => b.title) : [])),
      ['I agree', 'Privacy notice', 'No thanks'],
    );
    const consent = chat.tap('consent.agree');
    assert.deepEqual(ofType(consent, 'recordConsent'), [
      { type: 'recordConsent', version: CONSENT_VERSION, given: true, at: NOW },
    ]);
    const lookup = chat.say('K2019 123456 07');
    assert.deepEqual(ofType(lookup, 'lookupCompany'), [
      { type: 'lookupCompany', registrationNumber: '2019/123456/07' },
    ]);
    assert.match(textOf(lookup), /Looking up 2019\/123456\/07/);
    const confirm = chat.send({ type: 'lookup.found', company: ACME });
    assert.match(textOf(confirm), /Is this ACME TRADING \(PTY\) LTD, registered 14 March 2019\?/);
    const turnover = chat.tap('company.yes');
    assert.equal(repliesOf(turnover)[0]?.kind, 'list');
    assert.match(textOf(turnover), /2026[\s\S]*due by 29 April 2026[\s\S]*late/);
    chat.tap('company-1m-to-10m');
    chat.say(FAS_LINE);
    const summary = chat.say('thandi@acme.co.za');
    assert.match(
      textOf(summary),
      /2026 annual return \(late\), turnover R1m to under R10m: CIPC fee R600\.00/,
    );
    assert.match(textOf(summary), /Our service fee: R199\.00\nTotal: R799\.00/);
    const pay = chat.tap('summary.pay');
    const [order] = ofType(pay, 'createOrder');
    assert.deepEqual(order?.order, {
      registrationNumber: '2019/123456/07',
      companyName: 'ACME TRADING (PTY) LTD',
      years: [
        {
          year: 2026,
          turnoverBandId: 'company-1m-to-10m',
          late: true,
          dueDate: '2026-04-29',
          feeCents: 600_00,
        },
      ],
      cipcFeeCents: 600_00,
      serviceFeeCents: 199_00,
      totalCents: 799_00,
      email: 'thandi@acme.co.za',
      fas: {
        recordsKeeper: { name: 'Thandi Mokoena', idNumber: '8001015009087' },
        preparer: { name: 'Thandi Mokoena', idNumber: '8001015009087' },
      },
    });
    const link = chat.send({
      type: 'order.created',
      orderId: 'order-1',
      reference: 'CA-0001',
      payUrl: 'https://pay.example/pay/abc',
      expiresAt: '2026-11-28T09:00:00Z',
    });
    assert.deepEqual(
      repliesOf(link).map((m) => m.kind),
      ['link'],
    );
    const [message] = repliesOf(link);
    assert.equal(message?.kind === 'link' ? message.url : undefined, 'https://pay.example/pay/abc');
    assert.ok(chat.typedOrTapped <= 8, `took ${chat.typedOrTapped} messages`);
  });

  it('counts a typed button title as tapping it', () => {
    const chat = lookingUp();
    chat.send({ type: 'lookup.found', company: ACME });
    chat.say('Yes');
    assert.equal(chat.step, 'askTurnover');
  });

  it('reads turnover typed as free text, with the company bands', () => {
    for (const [text, band] of [
      ['R850k', 'company-under-1m'],
      ['under a million', 'company-under-1m'],
      ['about 2 million', 'company-1m-to-10m'],
    ] as const) {
      const { createOrder } = (() => {
        const chat = atTurnover();
        chat.say(text);
        chat.say(FAS_LINE);
        chat.say('a@b.co.za');
        return { createOrder: ofType(chat.say('pay'), 'createOrder') };
      })();
      assert.equal(createOrder[0]?.order.years[0]?.turnoverBandId, band, text);
    }
  });

  it('takes the records keeper and the preparer on two lines', () => {
    const chat = atTurnover();
    chat.say('R850k');
    chat.say(`${FAS_LINE}\nNkosi & Co practice no 12345`);
    chat.say('a@b.co.za');
    const [order] = ofType(chat.say('pay'), 'createOrder');
    assert.deepEqual(order?.order.fas.preparer, { name: 'Nkosi & Co', idNumber: '12345' });
  });

  it('lets the owner change an answer from the summary and returns to it', () => {
    const chat = atTurnover();
    chat.say('R850k');
    chat.say(FAS_LINE);
    chat.say('a@b.co.za');
    chat.tap('summary.change');
    chat.tap('change.email');
    const summary = chat.say('new@acme.co.za');
    assert.equal(chat.step, 'summary');
    assert.match(textOf(summary), /CIPC confirmation to new@acme\.co\.za/);
  });
});

describe('conversation machine: branches', () => {
  it('offers another try or a person when the number is not found', () => {
    const chat = lookingUp('2019/999999/07');
    const reply = chat.send({ type: 'lookup.notFound', registrationNumber: '2019/999999/07' });
    assert.match(textOf(reply), /couldn't find 2019\/999999\/07/);
    assert.equal(chat.step, 'lookupProblem');
    chat.say('2019/123456/07');
    assert.equal(chat.step, 'lookingUp');
  });

  it('rejects an impossible number with an example of the right form', () => {
    const chat = converse();
    chat.say('hi');
    chat.tap('consent.agree');
    const reply = chat.say('2019/12345678/07');
    assert.match(textOf(reply), /12 digits[\s\S]*2019\/123456\/07/);
    assert.equal(chat.step, 'askRegistration');
  });

  it('explains a finally deregistered company, offers a person and goes no further', () => {
    const chat = lookingUp();
    const reply = chat.send({ type: 'lookup.found', company: ACME_DEREGISTERED });
    assert.match(textOf(reply), /finally deregistered/);
    assert.equal(chat.step, 'lookupProblem');
    const agent = chat.tap('agent');
    assert.equal(ofType(agent, 'requestAgent').length, 1);
  });

  it('hands an enterprise the register shows oddly to a person, with no fee table and no quote', () => {
    const chat = lookingUp();
    const reply = chat.send({
      type: 'lookup.needsPerson',
      registrationNumber: '2019/123456/07',
      reason: 'CIPC shows a status we do not know: "In Liquidation"',
    });
    assert.match(textOf(reply), /won't guess what to file or what it costs/);
    assert.match(ofType(reply, 'requestAgent')[0]?.reason ?? '', /In Liquidation/);
    assert.equal(chat.step, 'withAgent');
    assert.equal(chat.snapshot.context.company, undefined);
    assert.deepEqual(chat.snapshot.context.years, []);
  });

  it('hands over to a person when the BO declaration for the year is missing', () => {
    const chat = lookingUp();
    chat.send({ type: 'lookup.found', company: ACME_NO_BO });
    const reply = chat.say('yes');
    assert.match(textOf(reply), /beneficial ownership[\s\S]*blocks the filing/);
    assert.equal(ofType(reply, 'requestAgent').length, 1);
    assert.equal(chat.step, 'withAgent');
    // Once the person hands back, the company is looked up afresh.
    const back = chat.send({ type: 'agent.released' });
    assert.equal(ofType(back, 'lookupCompany').length, 1);
  });

  it('hands audited or independently reviewed statements to a person', () => {
    for (const choice of ['fas.audited', 'fas.reviewed']) {
      const chat = atTurnover();
      chat.say('R850k');
      const reply = chat.tap(choice);
      assert.match(textOf(reply), /iXBRL/);
      assert.equal(ofType(reply, 'requestAgent').length, 1);
      assert.equal(chat.step, 'withAgent');
    }
  });

  it('offers close-corporation bands to a CC and prices with the CC table', () => {
    const chat = lookingUp('CK1998/012345/23');
    chat.send({ type: 'lookup.found', company: BUSY_BEE_CC });
    const list = repliesOf(chat.say('yes'))[0];
    assert.ok(list?.kind === 'list');
    assert.deepEqual(
      list.rows.map((row) => row.id),
      ['cc-under-50m', 'cc-50m-plus'],
    );
    chat.say('R3 million');
    chat.say(FAS_LINE);
    chat.say('a@b.co.za');
    const [order] = ofType(chat.say('pay'), 'createOrder');
    // Window July–August 2026: filed in November it is late, R100 + R150.
    assert.deepEqual(
      order?.order.years.map((y) => [y.year, y.turnoverBandId, y.late, y.feeCents]),
      [[2026, 'cc-under-50m', true, 250_00]],
    );
  });

  it('asks the turnover of each late year and quotes each with its late fee', () => {
    const chat = lookingUp();
    chat.send({ type: 'lookup.found', company: ACME_TWO_LATE });
    const first = chat.say('yes');
    assert.match(textOf(first), /Annual return 1 of 2: 2025[\s\S]*late/);
    const second = chat.say('R850k');
    assert.match(textOf(second), /Annual return 2 of 2: 2026[\s\S]*late/);
    chat.say('about 2 million');
    chat.say(FAS_LINE);
    const summary = chat.say('a@b.co.za');
    assert.match(
      textOf(summary),
      /2025 annual return \(late\), turnover Under R1 million: CIPC fee R150\.00/,
    );
    assert.match(
      textOf(summary),
      /2026 annual return \(late\), turnover R1m to under R10m: CIPC fee R600\.00/,
    );
    assert.match(textOf(summary), /Total: R949\.00/);
  });

  it('opts out on stop, says nothing more but how to opt in, and resumes on start', () => {
    const chat = atTurnover();
    const stop = chat.say('STOP');
    assert.deepEqual(ofType(stop, 'setOptOut'), [{ type: 'setOptOut', optedOut: true }]);
    assert.equal(repliesOf(stop).length, 1);
    assert.equal(chat.step, 'optedOut');
    assert.deepEqual(ofType(chat.send({ type: 'payment.reminderDue', orderId: 'x' }), 'reply'), []);
    assert.match(textOf(chat.say('hello?')), /Send START/);
    const start = chat.say('start');
    assert.deepEqual(ofType(start, 'setOptOut'), [{ type: 'setOptOut', optedOut: false }]);
    assert.equal(chat.step, 'askTurnover');
    assert.equal(repliesOf(start).at(-1)?.kind, 'list');
  });

  it('starts again on restart, keeping consent', () => {
    const chat = atTurnover();
    const restart = chat.say('restart');
    assert.equal(chat.step, 'askRegistration');
    assert.equal(ofType(restart, 'recordConsent').length, 0);
    assert.equal(chat.snapshot.context.company, undefined);
  });

  it('offers a person after three misunderstandings in a row', () => {
    const chat = lookingUp();
    chat.send({ type: 'lookup.found', company: ACME });
    const first = chat.say('banana');
    assert.match(textOf(first), /didn't catch that[\s\S]*Is this ACME/);
    chat.say('banana');
    const third = chat.say('banana');
    assert.match(textOf(third), /Would you like a person/);
    assert.equal(chat.step, 'confirmCompany');
  });

  it('asks politely for typing when a picture or voice note arrives', () => {
    const chat = atTurnover();
    const reply = chat.send({ type: 'user.media', kind: 'image' });
    assert.match(textOf(reply), /Please type/);
    assert.equal(chat.step, 'askTurnover');
  });

  it('answers status, help, menu and agent wherever the owner is', () => {
    const chat = atTurnover();
    assert.match(textOf(chat.say('status')), /turnover[\s\S]*Next: who keeps the records/);
    assert.match(textOf(chat.say('help')), /AGENT[\s\S]*What was the annual turnover/);
    chat.say('menu');
    assert.equal(chat.step, 'menu');
    chat.tap('menu.continue');
    assert.equal(chat.step, 'askTurnover');
    const agent = chat.say('human', WEEKDAY_MORNING);
    assert.deepEqual(ofType(agent, 'requestAgent'), [
      { type: 'requestAgent', reason: 'Asked for a person.' },
    ]);
    assert.match(textOf(agent), /within 15 minutes/);
    assert.match(textOf(converse().say('agent')), /next business day/);
  });

  it('goes straight to the lookup from a Typebot intake, with consent recorded', () => {
    const chat = converse();
    const commands = chat.send({
      type: 'typebot.intake',
      name: 'Thandi',
      email: 'Thandi@Acme.co.za',
      registrationNumber: '2019 123456 07',
      consent: true,
    });
    assert.equal(ofType(commands, 'recordConsent')[0]?.given, true);
    assert.deepEqual(ofType(commands, 'lookupCompany'), [
      { type: 'lookupCompany', registrationNumber: '2019/123456/07' },
    ]);
    chat.send({ type: 'lookup.found', company: ACME });
    chat.say('yes');
    chat.say('R850k');
    const confirm = chat.say(FAS_LINE);
    assert.match(textOf(confirm), /thandi@acme\.co\.za\?/);
    chat.tap('email.keep');
    assert.equal(chat.step, 'summary');
  });
});

/** An owner told nothing is due for ACME until 14 March 2027, who asked to be reminded. */
function remindedOfAcme() {
  const chat = lookingUp();
  chat.send({ type: 'lookup.found', company: ACME_NOT_DUE });
  chat.say('yes');
  const [scheduled] = ofType(chat.tap('reminder.yes'), 'scheduleReminder');
  assert.ok(scheduled);
  return { chat, reminder: scheduled.reminder };
}

/** 8:00 in Johannesburg on 14 March 2027, when ACME's 2027 annual return opens. */
const OPENING_MORNING = '2027-03-14T06:00:00.000Z';

describe('conversation machine: reminders', () => {
  it('schedules a reminder for the morning the next return opens when the owner asks for one', () => {
    const chat = lookingUp();
    chat.send({ type: 'lookup.found', company: ACME_NOT_DUE });
    const reply = chat.say('yes');
    assert.match(textOf(reply), /opens on 14 March 2027[\s\S]*remind you/);
    const remind = chat.tap('reminder.yes');
    assert.deepEqual(ofType(remind, 'scheduleReminder'), [
      {
        type: 'scheduleReminder',
        dueAt: OPENING_MORNING,
        reminder: {
          kind: 'annualReturnOpens',
          registrationNumber: '2019/123456/07',
          companyName: 'ACME TRADING (PTY) LTD',
          annualReturn: { year: 2027, opens: '2027-03-14', due: '2027-04-29' },
        },
      },
    ]);
    assert.match(textOf(remind), /remind you here when it opens on 14 March 2027/);
    assert.equal(chat.step, 'idle');
  });

  it('schedules nothing on "no thanks", and drops a reminder asked for before', () => {
    const chat = lookingUp();
    chat.send({ type: 'lookup.found', company: ACME_NOT_DUE });
    chat.say('yes');
    const no = chat.say('No thanks');
    assert.deepEqual(ofType(no, 'scheduleReminder'), []);
    assert.deepEqual(ofType(no, 'cancelReminders'), [
      { type: 'cancelReminders', kind: 'annualReturnOpens', registrationNumber: '2019/123456/07' },
    ]);
    assert.equal(chat.step, 'idle');
  });

  it('offers to file when the reminder comes due, and "file now" looks the company up again', () => {
    const { chat, reminder } = remindedOfAcme();
    const due = chat.send({ type: 'reminder.due', reminder }, OPENING_MORNING);
    assert.equal(chat.step, 'reminderOffer');
    const [offer] = repliesOf(due);
    assert.equal(offer?.kind, 'buttons');
    assert.match(
      textOf(due),
      /2027 annual return for ACME TRADING \(PTY\) LTD \(2019\/123456\/07\) opened at CIPC on 14 March 2027 and is due by 29 April 2027/,
    );
    assert.deepEqual(offer?.kind === 'buttons' ? offer.buttons.map((b) => b.title) : [], [
      'File now',
      'Not now',
    ]);
    // Weeks later the offer may arrive as a template: the owner types the button's title back.
    const fileNow = chat.say('File now', OPENING_MORNING);
    assert.deepEqual(ofType(fileNow, 'lookupCompany'), [
      { type: 'lookupCompany', registrationNumber: '2019/123456/07' },
    ]);
    assert.equal(chat.step, 'lookingUp');
    // CIPC now shows 2027 open, and the owner has made the 2027 BO declaration.
    const confirm = chat.send(
      { type: 'lookup.found', company: { ...ACME_NOT_DUE, boYear: 2027 } },
      OPENING_MORNING,
    );
    assert.match(textOf(confirm), /Is this ACME TRADING/);
    const turnover = chat.say('yes', OPENING_MORNING);
    assert.match(textOf(turnover), /Annual return for 2027[\s\S]*due by 29 April 2027: on time/);
  });

  it('on "not now" says how to file later and goes back to where the owner was', () => {
    const { chat, reminder } = remindedOfAcme();
    chat.tap('idle.another');
    chat.say(BUSY_BEE_CC.registrationNumber);
    chat.send({ type: 'lookup.found', company: BUSY_BEE_CC });
    chat.say('yes');
    assert.equal(chat.step, 'askTurnover');
    chat.send({ type: 'reminder.due', reminder }, OPENING_MORNING);
    assert.equal(chat.step, 'reminderOffer');
    const later = chat.tap('reminder.notNow', OPENING_MORNING);
    assert.match(textOf(later), /Send me 2019\/123456\/07 whenever you're ready; it is due by 29 April 2027/);
    assert.equal(chat.step, 'askTurnover');
    assert.equal(chat.snapshot.context.company?.name, 'BUSY BEE TRADERS CC');
    assert.equal(repliesOf(later).at(-1)?.kind, 'list');
  });

  it('only mentions the reminder while a payment or filing is under way', () => {
    const { chat: reminded, reminder } = remindedOfAcme();
    reminded.tap('idle.another');
    const { chat } = toPaymentLink(
      (() => {
        reminded.say('2019/123456/07');
        reminded.send({ type: 'lookup.found', company: ACME_TWO_LATE });
        reminded.say('yes');
        reminded.say('R850k');
        return reminded;
      })(),
    );
    assert.equal(chat.step, 'awaitingPayment');
    const note = chat.send({ type: 'reminder.due', reminder }, OPENING_MORNING);
    assert.equal(chat.step, 'awaitingPayment');
    assert.match(textOf(note), /due by 29 April 2027\. Once we're done here, send me 2019\/123456\/07/);
    assert.deepEqual(
      repliesOf(note).map((m) => m.kind),
      ['text'],
    );
  });

  it('still tells a conversation started afresh (a new bot version), which has forgotten the consent', () => {
    const { reminder } = remindedOfAcme();
    const fresh = converse();
    const note = fresh.send({ type: 'reminder.due', reminder }, OPENING_MORNING);
    assert.match(textOf(note), /2027 annual return for ACME TRADING[\s\S]*send me 2019\/123456\/07/);
    assert.equal(fresh.step, 'new');
  });

  it('says nothing when the owner has opted out, and nothing once they are back', () => {
    const { chat, reminder } = remindedOfAcme();
    chat.say('STOP');
    assert.deepEqual(chat.send({ type: 'reminder.due', reminder }, OPENING_MORNING), []);
    assert.equal(chat.step, 'optedOut');
    chat.say('START', OPENING_MORNING);
    assert.equal(chat.step, 'idle');
  });
});

describe('conversation machine: payment and filing', () => {
  it('confirms payment, reports milestones and sends the certificate', () => {
    const { chat, link } = toPaymentLink();
    assert.equal(repliesOf(link)[0]?.kind, 'link');
    const paid = chat.send({
      type: 'payment.confirmed',
      orderId: 'order-1',
      provider: 'payfast',
      amountCents: 799_00,
    });
    assert.match(textOf(paid), /R799\.00 received/);
    assert.equal(chat.step, 'filing');
    // A duplicate confirmation says nothing.
    assert.deepEqual(
      chat.send({ type: 'payment.confirmed', orderId: 'order-1', provider: 'payfast', amountCents: 799_00 }),
      [],
    );
    assert.match(
      textOf(chat.send({ type: 'filing.milestone', orderId: 'order-1', milestone: { kind: 'started' } })),
      /Filing started/,
    );
    const year = chat.send({
      type: 'filing.milestone',
      orderId: 'order-1',
      milestone: { kind: 'yearSubmitted', year: 2026, arReference: 'AR2026-1' },
    });
    assert.match(textOf(year), /2026 annual return is submitted[\s\S]*AR2026-1/);
    const done = chat.send({
      type: 'filing.milestone',
      orderId: 'order-1',
      milestone: COMPLETED,
    });
    assert.match(textOf(done), /AR2026-1/);
    assert.deepEqual(
      repliesOf(done).find((m) => m.kind === 'document'),
      {
        kind: 'document',
        url: 'https://files.example/cert.pdf',
        filename: 'ACME-AR-2026.pdf',
        caption: 'Annual return certificate (CIPC)',
      },
    );
  });

  it('tells the owner what a person did: resumed, filed by hand (no certificate), cancelled with the refund', () => {
    const paidChat = () => {
      const { chat } = toPaymentLink();
      chat.send({ type: 'payment.confirmed', orderId: 'order-1', provider: 'payfast', amountCents: 799_00 });
      chat.send({
        type: 'filing.milestone',
        orderId: 'order-1',
        milestone: { kind: 'waitingForPerson', reason: 'captcha' },
      });
      return chat;
    };
    const chat = paidChat();
    const resumed = chat.send({
      type: 'filing.milestone',
      orderId: 'order-1',
      milestone: { kind: 'resumed', by: 'captcha' },
    });
    assert.match(textOf(resumed), /entered the CIPC security code; your filing continues/);
    assert.equal(chat.step, 'filing');
    const byHand = chat.send({
      type: 'filing.milestone',
      orderId: 'order-1',
      milestone: { kind: 'filedByHand', arReferences: ['AR20260000001'] },
    });
    assert.match(textOf(byHand), /filed your annual return at CIPC\. Reference: AR20260000001/);
    assert.equal(
      repliesOf(byHand).some((m) => m.kind === 'document'),
      false,
      'no certificate link that goes nowhere',
    );
    assert.equal(chat.step, 'idle');

    const cancelledChat = paidChat();
    const cancelled = cancelledChat.send({
      type: 'filing.milestone',
      orderId: 'order-1',
      milestone: { kind: 'cancelled', refundNote: 'R799 back on your card today.' },
    });
    assert.match(
      textOf(cancelled),
      /Your filing was cancelled[\s\S]*Your refund: R799 back on your card today\./,
    );
    assert.equal(cancelledChat.step, 'idle');
  });

  it('sends one friendly payment reminder, then says when the link expired', () => {
    const { chat } = toPaymentLink();
    const reminder = chat.send({ type: 'payment.reminderDue', orderId: 'order-1' });
    assert.equal(repliesOf(reminder)[0]?.kind, 'link');
    assert.deepEqual(chat.send({ type: 'payment.reminderDue', orderId: 'order-1' }), []);
    const expired = chat.send({ type: 'order.expired', orderId: 'order-1' });
    assert.match(textOf(expired), /expired/);
    chat.tap('order.newLink');
    assert.equal(chat.step, 'summary');
    assert.equal(ofType(chat.tap('summary.pay'), 'createOrder').length, 1);
  });

  it('tells the owner of a payment for an order it dropped (restart), and reports that filing without moving them', () => {
    const { chat } = toPaymentLink();
    chat.say('restart');
    chat.say('2019/123456/07');
    assert.equal(chat.step, 'lookingUp');
    const paid = chat.send({
      type: 'payment.confirmed',
      orderId: 'order-1',
      provider: 'payfast',
      amountCents: 799_00,
    });
    assert.match(textOf(paid), /R799\.00 received/);
    assert.equal(chat.step, 'lookingUp', 'the new journey goes on');
    const done = chat.send({
      type: 'filing.milestone',
      orderId: 'order-1',
      milestone: COMPLETED,
    });
    assert.equal(repliesOf(done).filter((m) => m.kind === 'document').length, 1);
    assert.equal(chat.step, 'lookingUp');
    const failed = chat.send({
      type: 'filing.milestone',
      orderId: 'order-0',
      milestone: { kind: 'failed', reason: 'x' },
    });
    assert.equal(ofType(failed, 'requestAgent').length, 1);
    assert.equal(chat.step, 'lookingUp');
  });

  it('says nothing of a payment or a milestone while the owner has opted out', () => {
    const { chat } = toPaymentLink();
    chat.say('restart');
    chat.say('stop');
    assert.equal(chat.step, 'optedOut');
    assert.deepEqual(
      chat.send({ type: 'payment.confirmed', orderId: 'order-1', provider: 'ozow', amountCents: 799_00 }),
      [],
    );
    assert.deepEqual(
      chat.send({ type: 'filing.milestone', orderId: 'order-1', milestone: { kind: 'started' } }),
      [],
    );
  });

  it('tells the owner and asks a person when the filing fails', () => {
    const { chat } = toPaymentLink();
    chat.send({ type: 'payment.confirmed', orderId: 'order-1', provider: 'ozow', amountCents: 799_00 });
    const failed = chat.send({
      type: 'filing.milestone',
      orderId: 'order-1',
      milestone: { kind: 'failed', reason: 'x' },
    });
    assert.equal(ofType(failed, 'requestAgent').length, 1);
    assert.equal(chat.step, 'withAgent');
  });
});
