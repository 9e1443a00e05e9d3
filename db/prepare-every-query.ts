import type { Sql } from 'postgres';

type UnsafeArgs = Parameters<Sql['unsafe']>;
type WithCallback = (...args: unknown[]) => unknown;

/**
 * drizzle's postgres.js adapter runs each query as `unsafe(text, params, { prepare: false })` (or with no
 * options, which postgres.js reads the same way), and postgres.js then asks the server to describe every
 * parameterised query before it executes it: two round trips per query (drizzle-orm#6096). With named
 * prepared statements, cached per connection by their text (postgres.js's own default), a query is one
 * round trip after its first use; postgres.js re-prepares one a migration invalidated. Not for a pooler in
 * transaction mode (PgBouncer), which cannot keep prepared statements.
 */
export function prepareEveryQuery<T extends Sql>(client: T): T {
  return new Proxy(client, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (property === 'unsafe') {
        return (text: UnsafeArgs[0], params?: UnsafeArgs[1], options?: UnsafeArgs[2]) =>
          target.unsafe(text, params, { ...options, prepare: true });
      }
      // Transactions and savepoints hand their callback a client of their own: wrap that one too.
      if (property === 'begin' || property === 'savepoint') {
        return (...args: unknown[]) => {
          const callback = args.pop() as WithCallback;
          return (value as WithCallback).call(target, ...args, (scoped: Sql) =>
            callback(prepareEveryQuery(scoped)),
          );
        };
      }
      return value;
    },
  });
}
