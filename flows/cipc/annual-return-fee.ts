import { type FileableEnterpriseType, feeTableKindOf } from './enterprise-type.js';
import { type AnnualReturnFee, FEE_TABLES } from './fee-tables.js';
import type { TurnoverBandId } from './turnover-bands.js';

/** CIPC's fee for one year's annual return, in cents. Throws when the band belongs to the other table. */
export function annualReturnFeeCents({
  enterpriseType,
  turnoverBandId,
  late,
}: {
  enterpriseType: FileableEnterpriseType;
  turnoverBandId: TurnoverBandId;
  late: boolean;
}): number {
  const table = FEE_TABLES[feeTableKindOf(enterpriseType)];
  const fee: AnnualReturnFee | undefined = (table.fees as Partial<Record<TurnoverBandId, AnnualReturnFee>>)[
    turnoverBandId
  ];
  if (!fee) throw new RangeError(`turnover band ${turnoverBandId} does not apply to a ${enterpriseType}`);
  return late ? fee.lateCents : fee.onTimeCents;
}
