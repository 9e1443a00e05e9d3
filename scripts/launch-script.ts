import { type ChildProcess, spawn } from 'node:child_process';

export interface LaunchedScript {
  child: ChildProcess;
  /** Everything it wrote so far, stdout and stderr interleaved. */
  output(): string;
  exited: Promise<number | null>;
  /** Sends the signal (SIGTERM unless told) and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Runs one of our entry points (`scripts/start-bot.ts`, ...) as its own node process, as npm would. */
export function launchScript(script: string, env: NodeJS.ProcessEnv): LaunchedScript {
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk: Buffer) => {
    output += chunk;
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  return {
    child,
    output: () => output,
    exited,
    stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** Polls a health URL until it answers 200, or gives the last answer after `ms`. */
export async function healthWithin(url: string, ms: number): Promise<{ status: number; body: unknown }> {
  const deadline = Date.now() + ms;
  let last = { status: 0, body: undefined as unknown };
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url);
      last = { status: response.status, body: await response.json() };
      if (response.status === 200) return last;
    } catch {}
    await new Promise((r) => setTimeout(r, 250));
  }
  return last;
}
