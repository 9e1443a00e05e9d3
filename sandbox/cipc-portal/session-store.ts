import { randomBytes } from 'node:crypto';
import type { FasDetails, YearToFile } from './portal-state.js';
import type { OutstandingYear } from './rules/outstanding-years.js';

/** Where the File Annual Returns wizard is; kept server-side like ASP.NET session state. */
export interface Wizard {
  step: 'enterprise' | 'turnover' | 'fas' | 'pay' | 'blocked';
  enterpriseNumber?: string;
  years?: OutstandingYear[];
  turnovers?: Record<number, string>;
  calculated?: YearToFile[];
  fas?: FasDetails;
}

export interface Session {
  id: string;
  lastSeen: number;
  customerCode?: string;
  captcha?: { text: string; png: Buffer };
  wizard: Wizard;
  /** Set by the "session expires after N requests" fault. */
  requestsLeft?: number;
}

export class SessionStore {
  private readonly sessions = new Map<string, Session>();

  constructor(
    private readonly timeoutMs: () => number,
    private readonly now: () => number = Date.now,
  ) {}

  /** The live session for a cookie value; `expired` when it existed but timed out (it is then dropped). */
  find(id: string | undefined): { session?: Session; expired: boolean } {
    const session = id === undefined ? undefined : this.sessions.get(id);
    if (!session) return { expired: false };
    if (this.now() - session.lastSeen > this.timeoutMs()) {
      this.sessions.delete(session.id);
      return { expired: session.customerCode !== undefined };
    }
    session.lastSeen = this.now();
    return { session, expired: false };
  }

  create(): Session {
    const session: Session = {
      id: randomBytes(12).toString('base64url'),
      lastSeen: this.now(),
      wizard: { step: 'enterprise' },
    };
    this.sessions.set(session.id, session);
    return session;
  }

  /** Marks every logged-in session as timed out, as if the user had walked away. */
  expireAll(): void {
    for (const session of this.sessions.values()) session.lastSeen = Number.NEGATIVE_INFINITY;
  }

  expire(id: string): void {
    const session = this.sessions.get(id);
    if (session) session.lastSeen = Number.NEGATIVE_INFINITY;
  }
}
