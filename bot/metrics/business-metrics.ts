import { sql } from 'drizzle-orm';
import { Gauge, type Registry } from 'prom-client';
import { type Db, queryRows } from '../../db/create-database.js';

type Count = { n: number };
interface Figures {
  conversations: ({ state: string; owner: string } & Count)[];
  funnel: ({ step: string } & Count)[];
  orders: ({ status: string } & Count)[];
  payments: ({ provider: string; status: string } & Count)[];
  paymentRequests: ({ provider: string; status: string } & Count)[];
  notifications: ({ provider: string; outcome: string } & Count)[];
  revenue: { part: string; cents: number }[];
  events: ({ status: string } & Count)[];
  oldestPendingEventSeconds: number;
  outbox: ({ kind: string; status: string } & Count)[];
  outboxLagSeconds: number;
  messages: ({ direction: string; kind: string; status: string } & Count)[];
  filings: ({ status: string } & Count)[];
  oldestWaitForPersonSeconds: number;
  queuedFilingCipcCents: number;
}

/** The top state of a persisted machine snapshot: `flow.awaitingPayment` → awaitingPayment, `optedOut` as is. */
const STATE = sql`case jsonb_typeof(snapshot->'value')
  when 'string' then snapshot->>'value'
  when 'object' then coalesce(snapshot->'value'->>'flow', (select min(k) from jsonb_object_keys(snapshot->'value') k))
  else 'none' end`;

async function readFigures(db: Db): Promise<Figures> {
  const rows = <Row>(query: ReturnType<typeof sql>) => queryRows<Row>(db, query);
  const one = async (query: ReturnType<typeof sql>) =>
    Number((await rows<{ v: number | null }>(query))[0]?.v ?? 0);
  // One statement per figure, none holding a lock: several replicas scraping at once only read.
  const [conversations, funnel, orderRows, payments, paymentRequests, notifications, revenue] =
    await Promise.all([
      rows<Figures['conversations'][number]>(
        sql`select ${STATE} as state, owner, count(*)::int as n from conversations group by 1, 2`,
      ),
      rows<Figures['funnel'][number]>(sql`
        select 'conversation' as step, count(*)::int as n from conversations
        union all select 'consent', count(*)::int from contacts where consent_at is not null
        union all select 'quote', count(*)::int from orders
        union all select 'paid', count(*)::int from orders where paid_at is not null
        union all select 'filed', count(*)::int from filings where status = 'filed'`),
      rows<Figures['orders'][number]>(sql`select status, count(*)::int as n from orders group by 1`),
      rows<Figures['payments'][number]>(
        sql`select provider, status, count(*)::int as n from payments group by 1, 2`,
      ),
      rows<Figures['paymentRequests'][number]>(
        sql`select provider, status, count(*)::int as n from payment_requests group by 1, 2`,
      ),
      rows<Figures['notifications'][number]>(
        sql`select provider, outcome, count(*)::int as n from payment_notifications group by 1, 2`,
      ),
      rows<Figures['revenue'][number]>(sql`
        select 'service_fee' as part, coalesce(sum(service_fee_cents), 0)::bigint as cents from orders
          where paid_at is not null and status <> 'refunded'
        union all select 'cipc_fee', coalesce(sum(cipc_fee_cents), 0)::bigint from orders
          where paid_at is not null and status <> 'refunded'`),
    ]);
  const [events, oldestPendingEventSeconds, outbox, outboxLagSeconds, messages, filings] = await Promise.all([
    rows<Figures['events'][number]>(sql`select status, count(*)::int as n from events group by 1`),
    one(
      sql`select extract(epoch from now() - min(received_at))::float8 as v from events where status = 'pending'`,
    ),
    rows<Figures['outbox'][number]>(sql`select kind, status, count(*)::int as n from outbox group by 1, 2`),
    // How long the oldest row that is due, and not sent, has waited since it was written.
    one(sql`select extract(epoch from now() - min(created_at))::float8 as v from outbox
      where status = 'pending' and next_attempt_at <= now()`),
    rows<Figures['messages'][number]>(
      sql`select direction, kind, status, count(*)::int as n from messages group by 1, 2, 3`,
    ),
    rows<Figures['filings'][number]>(sql`select status, count(*)::int as n from filings group by 1`),
  ]);
  const [oldestWaitForPersonSeconds, queuedFilingCipcCents] = await Promise.all([
    one(sql`select extract(epoch from now() - min(updated_at))::float8 as v from filings
      where status = 'waiting_for_person'`),
    // What the portal will take from the prepaid balance for the filings paid for and not filed yet.
    one(
      sql`select coalesce(sum(cipc_fee_cents), 0)::bigint as v from orders where status in ('paid', 'filing', 'needs_agent')`,
    ),
  ]);
  return {
    conversations,
    funnel,
    orders: orderRows,
    payments,
    paymentRequests,
    notifications,
    revenue: revenue.map((r) => ({ part: r.part, cents: Number(r.cents) })),
    events,
    oldestPendingEventSeconds,
    outbox,
    outboxLagSeconds,
    messages,
    filings,
    oldestWaitForPersonSeconds,
    queuedFilingCipcCents,
  };
}

/**
 * Business and pipeline figures read from the database when Prometheus scrapes: conversations by state,
 * the funnel, orders, payments and revenue, the engine's backlog, the outbox's lag and failures, messages
 * by kind and delivery status, filings. Derived at scrape time, not counted in the code paths, so they
 * are right whatever process (or replica, or restart) did the work, and every replica reports the same
 * values: dashboards and alerts take `max` over instances. One set of queries serves every gauge of a
 * scrape, and scrapes closer together than `refreshMs` share it.
 */
export function registerBusinessMetrics(registry: Registry, db: Db, options: { refreshMs?: number } = {}) {
  const refreshMs = options.refreshMs ?? 10_000;
  let latest: { at: number; figures: Promise<Figures> } | undefined;
  const figures = (): Promise<Figures> => {
    if (!latest || Date.now() - latest.at > refreshMs) {
      const read = readFigures(db);
      latest = { at: Date.now(), figures: read };
      // A failed read is not cached: the next scrape asks again.
      read.catch(() => {
        if (latest?.figures === read) latest = undefined;
      });
    }
    return latest.figures;
  };

  function gauge<L extends string>(
    name: string,
    help: string,
    labelNames: readonly L[],
    fill: (set: (labels: Record<L, string>, value: number) => void, f: Figures) => void,
  ): void {
    new Gauge({
      name,
      help,
      labelNames,
      registers: [registry],
      async collect() {
        const f = await figures();
        this.reset();
        fill((labels, value) => (labelNames.length > 0 ? this.set(labels, value) : this.set(value)), f);
      },
    });
  }

  gauge(
    'conversations',
    'Conversations by the state of their dialogue and who owns the chat',
    ['state', 'owner'],
    (set, f) => {
      for (const r of f.conversations) set({ state: r.state ?? 'none', owner: r.owner }, r.n);
    },
  );
  gauge(
    'funnel_conversations',
    'How many reached each step of the funnel: conversation, consent, quote (order), paid, filed',
    ['step'],
    (set, f) => {
      for (const r of f.funnel) set({ step: r.step }, r.n);
    },
  );
  gauge('orders', 'Orders (quotes with a payment link) by status', ['status'], (set, f) => {
    for (const r of f.orders) set({ status: r.status }, r.n);
  });
  gauge('payments', 'Verified payments by provider and status', ['provider', 'status'], (set, f) => {
    for (const r of f.payments) set({ provider: r.provider, status: r.status }, r.n);
  });
  gauge(
    'payment_requests',
    'Checkouts started from the pay page, by provider and status',
    ['provider', 'status'],
    (set, f) => {
      for (const r of f.paymentRequests) set({ provider: r.provider, status: r.status }, r.n);
    },
  );
  gauge(
    'payment_notifications',
    'Provider payment notifications by outcome (rejected: a forged or mismatched one)',
    ['provider', 'outcome'],
    (set, f) => {
      for (const r of f.notifications) set({ provider: r.provider, outcome: r.outcome }, r.n);
    },
  );
  gauge(
    'revenue_cents',
    'Paid orders, not refunded, in cents: our service fee and the CIPC fees',
    ['part'],
    (set, f) => {
      for (const r of f.revenue) set({ part: r.part }, r.cents);
    },
  );
  gauge(
    'engine_events',
    'Stored conversation events by status (pending: the engine backlog)',
    ['status'],
    (set, f) => {
      for (const status of ['pending', 'processed', 'failed']) {
        set({ status }, f.events.find((r) => r.status === status)?.n ?? 0);
      }
    },
  );
  gauge(
    'engine_oldest_pending_event_seconds',
    'Age of the oldest event the engine has not applied',
    [],
    (set, f) => set({}, f.oldestPendingEventSeconds),
  );
  gauge(
    'outbox_rows',
    'Outbox rows by command kind and status (failed: given up)',
    ['kind', 'status'],
    (set, f) => {
      for (const r of f.outbox) set({ kind: r.kind, status: r.status }, r.n);
    },
  );
  gauge(
    'outbox_lag_seconds',
    'How long the oldest due, unsent outbox row has waited since it was written',
    [],
    (set, f) => set({}, f.outboxLagSeconds),
  );
  gauge(
    'messages',
    'Transcript messages by direction, kind and delivery status',
    ['direction', 'kind', 'status'],
    (set, f) => {
      for (const r of f.messages) set({ direction: r.direction, kind: r.kind, status: r.status }, r.n);
    },
  );
  gauge('filings', 'Filings by status', ['status'], (set, f) => {
    for (const status of ['running', 'waiting_for_person', 'filed', 'failed', 'cancelled']) {
      set({ status }, f.filings.find((r) => r.status === status)?.n ?? 0);
    }
  });
  gauge(
    'filings_waiting_for_person_oldest_seconds',
    'How long the filing that has waited longest for a person has waited',
    [],
    (set, f) => set({}, f.oldestWaitForPersonSeconds),
  );
  gauge(
    'filings_queued_cipc_fee_cents',
    'CIPC fees of the orders paid and not filed yet: what the prepaid balance must cover',
    [],
    (set, f) => set({}, f.queuedFilingCipcCents),
  );
}
