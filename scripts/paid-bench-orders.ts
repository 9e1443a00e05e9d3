import { outstandingAnnualReturns, quoteAnnualReturns } from '../flows/cipc/index.js';
import type { OrderToFile } from '../flows/filing/file-annual-returns.js';
import type { CipcPortalControl } from '../sandbox/cipc-portal/create-cipc-portal-sandbox.js';

const INCORPORATED = '2019-03-14';
const SERVICE_FEE_CENTS = 199_00;

/**
 * `count` private companies put on the portal simulator, each with one or two late annual returns (2025,
 * 2026, alternately, as the typical customer's backlog), and a paid order for each quoted as on `today`.
 * `first` numbers them (2019/<300000 + first + i>/07) so batches on one portal never share a company.
 */
export async function paidBenchOrders(
  count: number,
  options: {
    today: string;
    portal: Pick<CipcPortalControl, 'upsertEnterprise'>;
    paidOrder: (number: string, years: OrderToFile['years'], name: string) => Promise<OrderToFile>;
    first?: number;
  },
): Promise<OrderToFile[]> {
  const orders: OrderToFile[] = [];
  for (let i = options.first ?? 0; i < (options.first ?? 0) + count; i++) {
    const number = `2019/${String(300_000 + i)}/07`;
    const name = `BENCH ${i + 1} (PTY) LTD`;
    const filedYears = Array.from({ length: i % 2 === 0 ? 5 : 6 }, (_, y) => 2020 + y);
    options.portal.upsertEnterprise({
      number,
      name,
      incorporated: INCORPORATED,
      status: 'In Business',
      filedYears,
      boDeclarationYears: [2023, 2024, 2025, 2026],
    });
    const outstanding = outstandingAnnualReturns({
      enterpriseType: 'private-company',
      incorporationDate: INCORPORATED,
      filedYears,
      today: options.today,
    });
    const quote = quoteAnnualReturns({
      enterpriseType: 'private-company',
      years: outstanding.map(({ year, late }) => ({ year, late, turnoverBandId: 'company-under-1m' })),
      serviceFeeCents: SERVICE_FEE_CENTS,
    });
    orders.push(await options.paidOrder(number, [...quote.years], name));
  }
  return orders;
}
