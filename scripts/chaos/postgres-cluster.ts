import { execFile } from 'node:child_process';
import { chmod, chown, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import postgres from 'postgres';

const run = promisify(execFile);

export interface PostgresCluster {
  /** postgres://postgres@127.0.0.1:<port>/postgres */
  url: string;
  /** `pg_ctl restart -m fast`: every connection is cut, the server is back when this resolves. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A PostgreSQL cluster of the fault suite's own (initdb in a temporary directory, its own port and
 * socket directory), which it may restart at will: the shared server at 5432 is never touched.
 * PostgreSQL refuses to run as root, so initdb and pg_ctl run as the `postgres` user.
 */
export async function startPostgresCluster(port: number): Promise<PostgresCluster> {
  const dir = await mkdtemp(join(tmpdir(), 'cipc-chaos-pg-'));
  const { uid, gid } = await postgresUser();
  await chown(dir, uid, gid);
  await chmod(dir, 0o700);
  const data = join(dir, 'data');
  const asPostgres = (command: string, args: string[]) =>
    run('runuser', ['-u', 'postgres', '--', command, ...args], { cwd: dir, timeout: 120_000 });
  await asPostgres('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=off`;
  const pgCtl = (...args: string[]) =>
    asPostgres('pg_ctl', ['-D', data, '-o', options, '-l', join(dir, 'log'), '-w', ...args]);
  await pgCtl('start');
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  await ready(url);
  return {
    url,
    async restart() {
      await pgCtl('-m', 'fast', 'restart');
      await ready(url);
    },
    async stop() {
      await pgCtl('-m', 'fast', 'stop').catch(() => {});
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function postgresUser(): Promise<{ uid: number; gid: number }> {
  const [uid, gid] = await Promise.all(
    ['-u', '-g'].map(async (flag) => Number((await run('id', [flag, 'postgres'])).stdout.trim())),
  );
  return { uid: uid as number, gid: gid as number };
}

async function ready(url: string): Promise<void> {
  const client = postgres(url, { max: 1, connect_timeout: 5, onnotice: () => {} });
  try {
    await client`select 1`;
  } finally {
    await client.end();
  }
}
