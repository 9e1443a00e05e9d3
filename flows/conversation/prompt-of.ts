import { feeTableKindOf, isFileable } from '../cipc/enterprise-type.js';
import { turnoverBandsFor } from '../cipc/turnover-bands.js';
import type { OutboundMessage } from './conversation-command.js';
import type { ConversationContext, Step } from './conversation-context.js';
import { copy } from './copy.js';
import { summaryOf } from './summary-of.js';

/**
 * The question a step asks, built from the context alone. Sent when the step is entered, and again (after
 * an apology or help) when an answer does not fit; its buttons are also what a typed answer is read against.
 */
export function promptOf(step: Step, context: ConversationContext): OutboundMessage[] {
  const company = context.company;
  switch (step) {
    case 'new':
      return [];
    case 'consent':
      return [copy.consentAgain()];
    case 'declined':
      return [copy.declined()];
    case 'askRegistration':
      return [copy.askRegistration()];
    case 'lookingUp':
      return [copy.lookingUp(context.registrationNumber ?? '')];
    case 'lookupProblem':
      if (context.problem === 'deregistered') return company ? [copy.deregistered(company.name)] : [];
      return [copy.lookupProblem(context.problem ?? 'notFound', context.registrationNumber ?? '')];
    case 'confirmCompany':
      return company ? [copy.confirmCompany(company.name, company.incorporationDate)] : [];
    case 'notDue':
      return company && context.nextReturn
        ? [copy.notDue(company.name, context.nextReturn.opens, context.nextReturn.due)]
        : [];
    case 'idle':
      return [copy.idle()];
    case 'reminderOffer':
      return context.reminder ? [copy.reminderOffer(context.reminder)] : [];
    case 'askTurnover': {
      const year = context.years[context.yearIndex];
      if (!company || !year || !isFileable(company.enterpriseType)) return [];
      const bands = turnoverBandsFor(feeTableKindOf(company.enterpriseType));
      return [copy.askTurnover({ index: context.yearIndex, count: context.years.length }, year, bands)];
    }
    case 'askFas':
      return [copy.askFas()];
    case 'askEmail':
      return [copy.askEmail()];
    case 'confirmEmail':
      return context.email ? [copy.confirmEmail(context.email)] : [copy.askEmail()];
    case 'summary': {
      const summary = summaryOf(context);
      return summary ? [copy.summary(summary), copy.payQuestion(summary.totalCents)] : [];
    }
    case 'change':
      return [copy.change()];
    case 'creatingOrder':
      return [copy.creatingOrder()];
    case 'awaitingPayment':
      return context.order ? [copy.paymentLink(context.order)] : [];
    case 'orderExpired':
      return [copy.orderExpired()];
    case 'filing':
      return [copy.filingInProgress()];
    case 'menu':
      return [copy.menu()];
    case 'withAgent':
      return [copy.agentAlreadyRequested()];
    case 'optedOut':
      return [copy.stillOptedOut()];
  }
}
