/**
 * The kinds of enterprise CIPC registers, keyed by the two-digit type code at the end of a registration
 * number (`YYYY/NNNNNN/NN`).
 */
export type EnterpriseType =
  | 'private-company'
  | 'public-company'
  | 'npc'
  | 'personal-liability'
  | 'state-owned'
  | 'close-corporation'
  | 'external-company'
  | 'co-operative';

/** Enterprises whose annual return we know how to time and price. */
export type FileableEnterpriseType = Exclude<EnterpriseType, 'co-operative'>;

/** Which annual-return fee table applies: Table CR 2B for companies, the CC table for CCs. */
export type FeeTableKind = 'company' | 'close-corporation';

export const ENTERPRISE_TYPES: Readonly<
  Record<EnterpriseType, { readonly typeCodes: readonly string[]; readonly label: string }>
> = {
  'public-company': { typeCodes: ['06'], label: 'public company (Ltd)' },
  'private-company': { typeCodes: ['07'], label: 'private company (Pty) Ltd' },
  npc: { typeCodes: ['08'], label: 'non-profit company (NPC)' },
  'external-company': { typeCodes: ['10'], label: 'external company' },
  'personal-liability': { typeCodes: ['21'], label: 'personal liability company (Inc)' },
  'close-corporation': { typeCodes: ['23'], label: 'close corporation (CC)' },
  // Unconfirmed: 24–26 as co-operatives comes from secondary sources. Co-operatives report under the
  // Co-operatives Act, not Companies Regulation 30 or CC Act s15A, so they are not fileable here.
  'co-operative': { typeCodes: ['24', '25', '26'], label: 'co-operative' },
  'state-owned': { typeCodes: ['30'], label: 'state-owned company (SOC)' },
};

const FEE_TABLE_KIND: Readonly<Record<FileableEnterpriseType, FeeTableKind>> = {
  'public-company': 'company',
  'private-company': 'company',
  npc: 'company',
  'external-company': 'company',
  'personal-liability': 'company',
  'state-owned': 'company',
  'close-corporation': 'close-corporation',
};

export function enterpriseTypeOfCode(typeCode: string): EnterpriseType | undefined {
  const entry = Object.entries(ENTERPRISE_TYPES).find(([, info]) => info.typeCodes.includes(typeCode));
  return entry?.[0] as EnterpriseType | undefined;
}

/** A value read back from storage or another process: one of ours, or not to be trusted. */
export function isEnterpriseType(value: string): value is EnterpriseType {
  return Object.hasOwn(ENTERPRISE_TYPES, value);
}

export function isFileable(type: EnterpriseType): type is FileableEnterpriseType {
  return type in FEE_TABLE_KIND;
}

export function feeTableKindOf(type: FileableEnterpriseType): FeeTableKind {
  return FEE_TABLE_KIND[type];
}
