import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Db } from '../../../db/create-database.js';
import { agents } from '../../../db/schema.js';
import type { AgentRole } from '../auth/agent-auth.js';
import { hashPassword } from '../auth/hash-password.js';

export interface LoggedInAgent {
  agentId: string;
  email: string;
  password: string;
  cookie: string;
  csrfToken: string;
  /** `cookie` and `x-csrf-token`, ready to spread into `app.inject({ headers })`. */
  headers: Record<string, string>;
}

/** The `name=value` pairs of a response's Set-Cookie headers, as a Cookie request header. */
export function cookieHeaderOf(setCookie: string | string[] | undefined): string {
  return [setCookie ?? []]
    .flat()
    .map((cookie) => cookie.split(';')[0])
    .join('; ');
}

/** A new agent row (a random email and password unless given) logged in through the real login route. */
export async function logInAgent(
  app: FastifyInstance,
  db: Db,
  options: { role?: AgentRole; name?: string; email?: string } = {},
): Promise<LoggedInAgent> {
  const email = options.email ?? `agent-${randomBytes(4).toString('hex')}@example.test`;
  const password = randomBytes(12).toString('base64url');
  const [row] = await db
    .insert(agents)
    .values({
      email,
      name: options.name ?? 'Thandi Agent',
      role: options.role ?? 'agent',
      passwordHash: await hashPassword(password),
    })
    .returning({ id: agents.id });
  const response = await app.inject({
    method: 'POST',
    url: '/api/v1/agent/login',
    payload: { email, password },
  });
  if (response.statusCode !== 200) {
    throw new Error(`logInAgent: login answered ${response.statusCode} ${response.body}`);
  }
  const cookie = cookieHeaderOf(response.headers['set-cookie']);
  const { csrfToken } = response.json() as { csrfToken: string };
  return {
    agentId: row?.id as string,
    email,
    password,
    cookie,
    csrfToken,
    headers: { cookie, 'x-csrf-token': csrfToken },
  };
}
