import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { rand } from '../controls.js';
import { parseEnterpriseNumber } from '../parse-enterprise-number.js';
import { type FormBody, field, type PortalContext, pressed } from '../portal-context.js';
import type { Enterprise, FasDetails, YearToFile } from '../portal-state.js';
import { annualReturnFee } from '../rules/annual-return-fee.js';
import { enterpriseKind } from '../rules/enterprise-kind.js';
import type { Session } from '../session-store.js';
import {
  ASSURANCE_CHOICES,
  blockedStep,
  enterpriseStep,
  fasStep,
  payStep,
  turnoverControl,
  turnoverStep,
} from './annual-returns-view.js';
import { CARD_PAYMENT, CHANGED_LAYOUT, IXBRL_UPLOAD, type PortalInterruption } from './interruptions.js';

const PAGE = 'AnnualReturns.aspx';
const TITLE = 'File Annual Returns';

function parseRand(text: string): number | undefined {
  const cleaned = text.replace(/^R/i, '').replace(/[\s,]/g, '');
  return /^\d+(\.\d{1,2})?$/.test(cleaned) ? Math.round(Number(cleaned) * 100) : undefined;
}

/** The screen the knob puts in place of the wizard's `step`, if any. */
function interruptionAt(knob: PortalInterruption | undefined, step: Session['wizard']['step']) {
  if (knob === 'changedLayout' && step === 'enterprise') return CHANGED_LAYOUT;
  if (knob === 'ixbrlUpload' && step === 'fas') return IXBRL_UPLOAD;
  if (knob === 'cardPayment' && step === 'pay') return CARD_PAYMENT;
  return undefined;
}

/** Transact → File Annual Returns: validate, turnover and fee, BO check, FAS, pay. One page, postbacks. */
export function registerAnnualReturns(app: FastifyInstance, portal: PortalContext): void {
  const show = (reply: FastifyReply, session: Session, error?: string, typedNumber?: string) => {
    const w = session.wizard;
    const enterprise = w.enterpriseNumber ? portal.state.enterprise(w.enterpriseNumber) : undefined;
    const interruption = interruptionAt(portal.faults.interruption, enterprise ? w.step : 'enterprise');
    if (interruption) return portal.render(reply, session, PAGE, interruption.title, interruption.body);
    let body: string;
    if (!enterprise || w.step === 'enterprise') body = enterpriseStep(typedNumber, error);
    else if (w.step === 'turnover')
      body = turnoverStep(enterprise, w.years ?? [], w.turnovers ?? {}, w.calculated, error);
    else if (w.step === 'blocked') body = blockedStep(enterprise, error ?? '');
    else if (w.step === 'fas') body = fasStep(w.fas ?? {}, error);
    else {
      const balance = portal.state.customer(session.customerCode ?? '')?.balanceCents ?? 0;
      body = payStep(enterprise, w.calculated ?? [], balance, error);
    }
    return portal.render(reply, session, PAGE, TITLE, body);
  };

  const validate = (reply: FastifyReply, session: Session, typed: string) => {
    const number = parseEnterpriseNumber(typed);
    if (!number)
      return show(reply, session, 'Please enter a valid enterprise number, e.g. 2019/123456/07.', typed);
    const enterprise = portal.state.enterprise(number);
    if (!enterprise) return show(reply, session, `Enterprise ${number} was not found.`, typed);
    if (enterprise.status === 'Deregistered') {
      return show(
        reply,
        session,
        `The enterprise status "${enterprise.status}" does not allow annual returns to be filed. Apply for re-instatement first.`,
        typed,
      );
    }
    const years = portal.state.outstanding(number, portal.today());
    if (years.length === 0)
      return show(reply, session, `There are no outstanding annual returns for ${number}.`, typed);
    session.wizard = { step: 'turnover', enterpriseNumber: number, years, turnovers: {} };
    return show(reply, session);
  };

  const calculate = (reply: FastifyReply, session: Session, enterprise: Enterprise, body: FormBody) => {
    const w = session.wizard;
    const years = w.years ?? [];
    w.turnovers = Object.fromEntries(years.map((y, i) => [y.year, field(body, turnoverControl(i))]));
    w.calculated = undefined;
    const calculated: YearToFile[] = [];
    for (const y of years) {
      const turnoverCents = parseRand(w.turnovers[y.year] ?? '');
      if (turnoverCents === undefined)
        return show(reply, session, `Please enter a valid turnover for ${y.year}.`);
      const feeCents =
        annualReturnFee(enterpriseKind(enterprise.type), turnoverCents, y.late) + portal.faults.feeDriftCents;
      calculated.push({ year: y.year, turnoverCents, feeCents, late: y.late });
    }
    w.calculated = calculated;
    return show(reply, session);
  };

  const checkBeneficialOwnership = (reply: FastifyReply, session: Session, enterprise: Enterprise) => {
    const missing = (session.wizard.calculated ?? []).find(
      (c) => !enterprise.boDeclarationYears.includes(c.year),
    );
    if (missing) {
      session.wizard.step = 'blocked';
      return show(
        reply,
        session,
        `The annual return for ${missing.year} cannot be filed: no beneficial ownership declaration has been filed for ${missing.year}. File the beneficial ownership declaration first.`,
      );
    }
    session.wizard.step = 'fas';
    return show(reply, session);
  };

  const captureFas = (reply: FastifyReply, session: Session, body: FormBody) => {
    const assurance = field(body, 'rblAssurance');
    const fas = {
      recordsKeeperName: field(body, 'txtRecordsKeeperName'),
      recordsKeeperId: field(body, 'txtRecordsKeeperId'),
      preparerName: field(body, 'txtPreparerName'),
      preparerId: field(body, 'txtPreparerId'),
      assurance: ASSURANCE_CHOICES.find((choice) => choice === assurance) ?? ('' as FasDetails['assurance']),
    };
    session.wizard.fas = fas;
    if (Object.values(fas).some((v) => v === '')) {
      return show(reply, session, 'Please complete all the Financial Accountability Supplement fields.');
    }
    session.wizard.step = 'pay';
    return show(reply, session);
  };

  const pay = async (reply: FastifyReply, session: Session, enterprise: Enterprise) => {
    const w = session.wizard;
    const customerCode = session.customerCode ?? '';
    if (!w.fas || !w.calculated) return show(reply, session);
    const outcome = portal.state.file({
      customerCode,
      enterpriseNumber: enterprise.number,
      years: w.calculated,
      fas: w.fas,
      today: portal.today(),
    });
    if (!outcome.ok) {
      if (outcome.reason === 'insufficientFunds') {
        return show(
          reply,
          session,
          `Insufficient funds: the available balance on customer code ${customerCode} is ${rand(outcome.balanceCents)} and the amount payable is ${rand(outcome.requiredCents)}. Please deposit funds and try again.`,
        );
      }
      session.wizard = { step: 'enterprise' };
      const message =
        outcome.reason === 'alreadyFiled'
          ? `The annual return for ${outcome.year} has already been filed (reference ${outcome.reference}).`
          : `The enterprise status "${outcome.status}" does not allow annual returns to be filed.`;
      return show(reply, session, message);
    }
    session.wizard = { step: 'enterprise' };
    await sleep(portal.faults.confirmationDelayMs);
    return reply.redirect(`ArConfirmation.aspx?tx=${outcome.transactionId}`);
  };

  app.get(`/${PAGE}`, async (request, reply) => {
    const session = portal.customerSession(request, reply);
    if (!session) return reply;
    session.wizard = { step: 'enterprise' };
    return show(reply, session);
  });

  app.post<{ Body: FormBody }>(`/${PAGE}`, async (request, reply) => {
    const session = portal.customerSession(request, reply);
    if (!session) return reply;
    const body = request.body;
    if (!portal.isValidPostback(session, PAGE, body)) return portal.invalidPostback(reply);
    const w = session.wizard;
    const enterprise = w.enterpriseNumber ? portal.state.enterprise(w.enterpriseNumber) : undefined;
    if (pressed(body, 'btnCancel')) {
      session.wizard = { step: 'enterprise' };
      return show(reply, session);
    }
    if (pressed(body, 'btnValidate')) return validate(reply, session, field(body, 'txtEnterpriseNumber'));
    if (!enterprise) return show(reply, session);
    if (w.step === 'turnover' && pressed(body, 'btnCalculate'))
      return calculate(reply, session, enterprise, body);
    if (w.step === 'turnover' && pressed(body, 'btnContinue') && w.calculated) {
      return checkBeneficialOwnership(reply, session, enterprise);
    }
    if (w.step === 'fas' && pressed(body, 'btnFasContinue')) return captureFas(reply, session, body);
    if (w.step === 'pay' && pressed(body, 'btnPay')) return pay(reply, session, enterprise);
    return show(reply, session);
  });
}
