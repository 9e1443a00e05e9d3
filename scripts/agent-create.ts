/**
 * `npm run agent:create -- --email E --password P --role agent|admin [--name N]`: creates a console
 * account, or resets the one with that email (new password and role, enabled, unlocked), on the database
 * the service uses: DATABASE_URL, else the embedded PGlite in DATA_DIR — which only one process may open,
 * so with PGlite run this while `npm start` is stopped (it refuses while the database is open). Without `--password` it reads one line from
 * standard input (keeps the password out of the shell history). The password is never printed.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { recordAudit } from '../bot/agent/audit/record-audit.js';
import type { AgentRole } from '../bot/agent/auth/agent-auth.js';
import { agentProblem, saveAgent } from '../bot/agent/auth/save-agent.js';
import { loadConfigOrExit } from '../config/load-config.js';
import { createDatabase } from '../db/create-database.js';

const usage =
  'usage: npm run agent:create -- --email E --password P --role agent|admin [--name N]\n' +
  '       (without --password, the password is read from standard input)\n';

function fail(message: string): never {
  process.stderr.write(`${message}\n${usage}`);
  process.exit(64);
}

async function readLine(): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write('password: ');
  const lines = createInterface({ input: process.stdin });
  for await (const line of lines) {
    lines.close();
    return line;
  }
  return '';
}

let args: { email?: string; password?: string; role?: string; name?: string };
try {
  args = parseArgs({
    options: {
      email: { type: 'string' },
      password: { type: 'string' },
      role: { type: 'string' },
      name: { type: 'string' },
    },
  }).values;
} catch (err) {
  fail((err as Error).message);
}
if (!args.email) fail('--email is required');
if (!args.role) fail('--role is required (agent or admin)');
const agent = {
  email: args.email,
  password: args.password ?? (await readLine()),
  role: args.role as AgentRole,
  name: args.name,
};
const problem = agentProblem(agent);
if (problem) fail(problem);

const config = loadConfigOrExit();
const dataDir = resolve(config.dataDir);
const pgliteDir = join(dataDir, 'pglite');
// PGlite is one process's database: opened twice, its files would be written by two servers at once.
if (!config.databaseUrl && existsSync(join(pgliteDir, 'postmaster.pid'))) {
  process.stderr.write(
    `the embedded database in ${pgliteDir} is open (is npm start running?): stop the service first and run this again\n` +
      '(after a crash the mark stays: start and stop npm start once to clear it)\n',
  );
  process.exit(75);
}
if (!config.databaseUrl) mkdirSync(dataDir, { recursive: true });
const database = await createDatabase(
  config.databaseUrl ? { url: config.databaseUrl, maxConnections: 2 } : { pgliteDir },
);
try {
  await database.migrate();
  const saved = await saveAgent(database.db, agent, 'upsert');
  await recordAudit(database.db, {
    actor: 'system',
    action: saved.outcome === 'created' ? 'agent.created' : 'agent.reset',
    subject: `agent:${saved.id}`,
    details: { role: agent.role, by: 'npm run agent:create' },
  });
  const where = config.databaseUrl ? 'DATABASE_URL' : `the embedded database in ${dataDir}`;
  process.stdout.write(
    `${saved.outcome === 'created' ? 'created' : 'updated (new password, enabled, unlocked, logged out everywhere)'} ${agent.role} ` +
      `${saved.name} <${agent.email.trim().toLowerCase()}> (id ${saved.id}) in ${where}\n`,
  );
} finally {
  await database.close();
}
