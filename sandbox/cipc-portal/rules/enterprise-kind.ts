export const ENTERPRISE_TYPES = {
  '06': 'Public Company',
  '07': 'Private Company',
  '08': 'Non-Profit Company',
  '10': 'External Company',
  '21': 'Personal Liability Company',
  '23': 'Close Corporation',
  '30': 'State Owned Company',
} as const;

export type TypeCode = keyof typeof ENTERPRISE_TYPES;
export type EnterpriseType = (typeof ENTERPRISE_TYPES)[TypeCode];

/** Which fee table and filing window an enterprise type follows. */
export function enterpriseKind(type: EnterpriseType): 'company' | 'closeCorporation' {
  return type === 'Close Corporation' ? 'closeCorporation' : 'company';
}
