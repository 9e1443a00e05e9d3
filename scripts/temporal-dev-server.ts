import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { delimiter, join, resolve } from 'node:path';

export interface TemporalDevServer {
  address: string;
  uiUrl?: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

export interface DevServerOptions {
  /** SQLite file to keep history across restarts; in-memory when absent. */
  dbFilename?: string;
  port: number;
  uiPort?: number;
  namespace?: string;
  startTimeoutMs?: number;
  log?: (line: string) => void;
}

/** The `temporal` binary: TEMPORAL_CLI, the one `npm run setup` installs, or the PATH. */
export function findTemporalCli(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.TEMPORAL_CLI) return env.TEMPORAL_CLI;
  const local = resolve('.tools/venv/bin/temporal');
  if (existsSync(local)) return local;
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, 'temporal');
    if (dir && existsSync(candidate)) return candidate;
  }
  return undefined;
}

export async function startTemporalDevServer(
  cli: string,
  options: DevServerOptions,
): Promise<TemporalDevServer> {
  const args = ['server', 'start-dev', '--port', String(options.port), '--log-level', 'warn'];
  args.push('--namespace', options.namespace ?? 'default');
  if (options.dbFilename) args.push('--db-filename', options.dbFilename);
  if (options.uiPort) args.push('--ui-port', String(options.uiPort));
  else args.push('--headless');

  const child = spawn(cli, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  const collect = (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n').filter(Boolean)) {
      output.push(line);
      if (output.length > 50) output.shift();
      options.log?.(line);
    }
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const spawnError = new Promise<never>((_, reject) => {
    child.once('error', (err) => reject(new Error(`cannot run the Temporal CLI at ${cli}: ${err.message}`)));
    child.once('exit', (code) =>
      reject(new Error(`the Temporal dev server (${cli}) exited with code ${code}:\n${output.join('\n')}`)),
    );
  });
  spawnError.catch(() => {});

  const timeoutMs = options.startTimeoutMs ?? 30_000;
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      if (await portAnswers(options.port)) break;
      if (Date.now() > deadline) {
        throw new Error(
          `the Temporal dev server (${cli}) did not answer on port ${options.port} within ${timeoutMs / 1000} s`,
        );
      }
      await Promise.race([spawnError, new Promise((r) => setTimeout(r, 200))]);
    }
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }

  return {
    address: `127.0.0.1:${options.port}`,
    uiUrl: options.uiPort ? `http://127.0.0.1:${options.uiPort}` : undefined,
    process: child,
    stop: () => stopChild(child),
  };
}

function portAnswers(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      done(true);
    });
    socket.once('error', () => done(false));
  });
}

export function stopChild(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      done();
    });
    child.kill('SIGTERM');
  });
}
