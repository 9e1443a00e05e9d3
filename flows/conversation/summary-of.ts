import { isFileable } from '../cipc/enterprise-type.js';
import { quoteAnnualReturns } from '../cipc/quote.js';
import { TURNOVER_BANDS } from '../cipc/turnover-bands.js';
import type { OrderRequest } from './conversation-command.js';
import type { ConversationContext } from './conversation-context.js';

export interface Summary extends Omit<OrderRequest, 'years'> {
  years: (OrderRequest['years'][number] & { bandTitle: string })[];
}

/**
 * The order the answers so far add up to, priced with CIPC's tables; undefined while an answer is missing.
 * The summary the owner approves and the order the engine creates are this one object, so they cannot differ.
 */
export function summaryOf(context: ConversationContext): Summary | undefined {
  const { company, fas, email } = context;
  if (!company || !fas || !email || !isFileable(company.enterpriseType) || context.years.length === 0) {
    return undefined;
  }
  const years = context.years.flatMap((year) =>
    year.turnoverBandId ? [{ ...year, turnoverBandId: year.turnoverBandId }] : [],
  );
  if (years.length !== context.years.length) return undefined;
  const quote = quoteAnnualReturns({
    enterpriseType: company.enterpriseType,
    years,
    serviceFeeCents: context.serviceFeeCents,
  });
  return {
    registrationNumber: company.registrationNumber,
    companyName: company.name,
    years: quote.years.map((priced, i) => ({
      year: priced.year,
      turnoverBandId: priced.turnoverBandId,
      late: priced.late,
      dueDate: years[i]?.due ?? '',
      feeCents: priced.feeCents,
      bandTitle:
        TURNOVER_BANDS.find((band) => band.id === priced.turnoverBandId)?.title ?? priced.turnoverBandId,
    })),
    cipcFeeCents: quote.cipcFeeCents,
    serviceFeeCents: quote.serviceFeeCents,
    totalCents: quote.totalCents,
    email,
    fas,
  };
}
