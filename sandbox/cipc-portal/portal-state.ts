import { annualReturnFee } from './rules/annual-return-fee.js';
import {
  ENTERPRISE_TYPES,
  type EnterpriseType,
  enterpriseKind,
  type TypeCode,
} from './rules/enterprise-kind.js';
import { filingWindow } from './rules/filing-window.js';
import { type OutstandingYear, outstandingYears } from './rules/outstanding-years.js';

export type EnterpriseStatus = 'In Business' | 'AR Deregistration Process' | 'Deregistered';

export interface EnterpriseSeed {
  number: string;
  name: string;
  incorporated: string;
  status: EnterpriseStatus;
  /** Annual returns already on record (filed on time, paid once). */
  filedYears: number[];
  /** Calendar years with a beneficial ownership declaration. */
  boDeclarationYears: number[];
  /** Turnover recorded on the seeded annual returns (defaults to R750 000). */
  turnoverCents?: number;
}

export interface Enterprise {
  number: string;
  name: string;
  type: EnterpriseType;
  incorporated: string;
  status: EnterpriseStatus;
  boDeclarationYears: number[];
}

export interface FasDetails {
  recordsKeeperName: string;
  recordsKeeperId: string;
  preparerName: string;
  preparerId: string;
  assurance: 'Audited' | 'Independently reviewed' | 'Neither';
}

export interface Filing {
  enterpriseNumber: string;
  year: number;
  reference: string;
  filedOn: string;
  turnoverCents: number;
  feeCents: number;
  late: boolean;
  customerCode: string | undefined;
  transactionId: string | undefined;
  fas: FasDetails | undefined;
}

export interface Payment {
  transactionId: string;
  customerCode: string;
  enterpriseNumber: string;
  year: number;
  amountCents: number;
  paidOn: string;
}

export interface Customer {
  code: string;
  password: string;
  balanceCents: number;
  email: string;
}

export interface YearToFile {
  year: number;
  turnoverCents: number;
  feeCents: number;
  late: boolean;
}

export type FileOutcome =
  | { ok: true; transactionId: string; filings: Filing[] }
  | { ok: false; reason: 'insufficientFunds'; balanceCents: number; requiredCents: number }
  | { ok: false; reason: 'alreadyFiled'; year: number; reference: string }
  | { ok: false; reason: 'notFileable'; status: EnterpriseStatus };

const REGISTRATION_NUMBER = /^(\d{4})\/(\d{6})\/(\d{2})$/;

/** The register, the filings, the payments ledger and the customer codes' prepaid balances. */
export class PortalState {
  private readonly enterprises = new Map<string, Enterprise>();
  private readonly filings: Filing[] = [];
  private readonly payments: Payment[] = [];
  private readonly customers = new Map<string, Customer>();
  private sequence = 100_000;

  constructor(seed: readonly EnterpriseSeed[], customers: readonly Customer[]) {
    for (const enterprise of seed) this.upsertEnterprise(enterprise);
    for (const customer of customers) this.customers.set(customer.code.toUpperCase(), { ...customer });
  }

  upsertEnterprise(seed: EnterpriseSeed): Enterprise {
    const code = REGISTRATION_NUMBER.exec(seed.number)?.[3];
    if (!code || !(code in ENTERPRISE_TYPES)) throw new Error(`unsupported enterprise number ${seed.number}`);
    const enterprise: Enterprise = {
      number: seed.number,
      name: seed.name,
      type: ENTERPRISE_TYPES[code as TypeCode],
      incorporated: seed.incorporated,
      status: seed.status,
      boDeclarationYears: [...seed.boDeclarationYears].sort(),
    };
    this.enterprises.set(seed.number, enterprise);
    this.removeFilingsOf(seed.number);
    const kind = enterpriseKind(enterprise.type);
    for (const year of seed.filedYears) {
      const window = filingWindow(kind, seed.incorporated, year);
      const turnoverCents = seed.turnoverCents ?? 750_000_00;
      const feeCents = annualReturnFee(kind, turnoverCents, false);
      this.payments.push({
        transactionId: 'seed',
        customerCode: 'SEED',
        enterpriseNumber: seed.number,
        year,
        amountCents: feeCents,
        paidOn: window.opens,
      });
      this.filings.push({
        enterpriseNumber: seed.number,
        year,
        reference: this.nextReference(year),
        filedOn: window.opens,
        turnoverCents,
        feeCents,
        late: false,
        customerCode: undefined,
        transactionId: undefined,
        fas: undefined,
      });
    }
    return enterprise;
  }

  updateEnterprise(number: string, patch: Partial<Omit<Enterprise, 'number' | 'type'>>): Enterprise {
    const enterprise = this.enterprise(number);
    if (!enterprise) throw new Error(`no enterprise ${number}`);
    Object.assign(enterprise, patch);
    return enterprise;
  }

  enterprise(number: string): Enterprise | undefined {
    return this.enterprises.get(number);
  }

  allEnterprises(): Enterprise[] {
    return [...this.enterprises.values()];
  }

  filingsOf(number: string): Filing[] {
    return this.filings.filter((f) => f.enterpriseNumber === number).sort((a, b) => a.year - b.year);
  }

  allFilings(): Filing[] {
    return [...this.filings];
  }

  filingByReference(reference: string): Filing | undefined {
    return this.filings.find((f) => f.reference === reference);
  }

  filingsOfTransaction(transactionId: string): Filing[] {
    return this.filings.filter((f) => f.transactionId === transactionId);
  }

  paymentsFor(number: string, year: number): Payment[] {
    return this.payments.filter((p) => p.enterpriseNumber === number && p.year === year);
  }

  outstanding(number: string, today: string): OutstandingYear[] {
    const enterprise = this.enterprise(number);
    if (!enterprise) return [];
    const filed = this.filingsOf(number).map((f) => f.year);
    return outstandingYears(enterpriseKind(enterprise.type), enterprise.incorporated, filed, today);
  }

  customer(code: string): Customer | undefined {
    return this.customers.get(code.toUpperCase());
  }

  setBalance(code: string, balanceCents: number): void {
    const customer = this.customer(code);
    if (!customer) throw new Error(`no customer code ${code}`);
    customer.balanceCents = balanceCents;
  }

  /** Files and pays every year in one transaction, or nothing at all. */
  file(input: {
    customerCode: string;
    enterpriseNumber: string;
    years: readonly YearToFile[];
    fas: FasDetails;
    today: string;
  }): FileOutcome {
    const enterprise = this.enterprise(input.enterpriseNumber);
    const customer = this.customer(input.customerCode);
    if (!enterprise || !customer) throw new Error('unknown enterprise or customer');
    if (enterprise.status === 'Deregistered')
      return { ok: false, reason: 'notFileable', status: enterprise.status };
    for (const { year } of input.years) {
      const existing = this.filingsOf(enterprise.number).find((f) => f.year === year);
      if (existing) return { ok: false, reason: 'alreadyFiled', year, reference: existing.reference };
    }
    const requiredCents = input.years.reduce((sum, y) => sum + y.feeCents, 0);
    if (customer.balanceCents < requiredCents) {
      return { ok: false, reason: 'insufficientFunds', balanceCents: customer.balanceCents, requiredCents };
    }
    customer.balanceCents -= requiredCents;
    const transactionId = `T${this.sequence++}`;
    const filings = input.years.map((y): Filing => {
      this.payments.push({
        transactionId,
        customerCode: customer.code,
        enterpriseNumber: enterprise.number,
        year: y.year,
        amountCents: y.feeCents,
        paidOn: input.today,
      });
      return {
        enterpriseNumber: enterprise.number,
        year: y.year,
        reference: this.nextReference(y.year),
        filedOn: input.today,
        turnoverCents: y.turnoverCents,
        feeCents: y.feeCents,
        late: y.late,
        customerCode: customer.code,
        transactionId,
        fas: input.fas,
      };
    });
    this.filings.push(...filings);
    // Filing everything outstanding stops the deregistration process.
    if (
      enterprise.status === 'AR Deregistration Process' &&
      this.outstanding(enterprise.number, input.today).length === 0
    ) {
      enterprise.status = 'In Business';
    }
    return { ok: true, transactionId, filings };
  }

  private nextReference(year: number): string {
    return `AR${year}${String(this.sequence++).padStart(7, '0')}`;
  }

  private removeFilingsOf(number: string): void {
    for (const list of [this.filings, this.payments]) {
      for (let i = list.length - 1; i >= 0; i -= 1) {
        if (list[i]?.enterpriseNumber === number) list.splice(i, 1);
      }
    }
  }
}
