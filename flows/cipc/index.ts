export { addBusinessDays } from './add-business-days.js';
export { annualReturnFeeCents } from './annual-return-fee.js';
export {
  type AnnualReturnWindow,
  anniversaryOf,
  annualReturnWindow,
  COMPANY_FILING_BUSINESS_DAYS,
} from './annual-return-window.js';
export {
  ENTERPRISE_TYPES,
  type EnterpriseType,
  enterpriseTypeOfCode,
  type FeeTableKind,
  type FileableEnterpriseType,
  feeTableKindOf,
  isFileable,
} from './enterprise-type.js';
export {
  type AnnualReturnFee,
  CLOSE_CORPORATION_FEE_TABLE,
  COMPANY_FEE_TABLE,
  FEE_TABLES,
  type FeeTable,
} from './fee-tables.js';
export { formatRand } from './format-rand.js';
export { isBusinessDay, isPublicHoliday } from './is-business-day.js';
export { isLate } from './is-late.js';
export { type IsoDate, isIsoDate } from './iso-date.js';
export { nextAnnualReturn } from './next-annual-return.js';
export {
  type AnnualReturnHistory,
  type OutstandingAnnualReturn,
  outstandingAnnualReturns,
} from './outstanding-annual-returns.js';
export { type ParsedRegistrationNumber, parseRegistrationNumber } from './parse-registration-number.js';
export { parseTurnover } from './parse-turnover.js';
export { type Quote, type QuoteYearInput, quoteAnnualReturns } from './quote.js';
export {
  type CloseCorporationTurnoverBandId,
  type CompanyTurnoverBandId,
  TURNOVER_BANDS,
  type TurnoverBand,
  type TurnoverBandId,
  turnoverBandForAmount,
  turnoverBandsFor,
} from './turnover-bands.js';
