import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';

export interface Memory {
  rssKb: number;
  pssKb: number;
  chromiumProcesses: number;
}

/**
 * A process (this one unless told) and its Chromium descendants (not the Temporal server). RSS counts pages Chromium's
 * processes share once per process, so PSS (each shared page split between its sharers) is given too.
 */
export async function sampleMemory(rootPid = process.pid): Promise<Memory> {
  const { stdout } = await promisify(execFile)('ps', ['-eo', 'pid=,ppid=,rss=,args=']);
  const rows = stdout
    .trim()
    .split('\n')
    .map((line) => {
      const [pid, ppid, rss, ...args] = line.trim().split(/\s+/);
      return { pid: Number(pid), ppid: Number(ppid), rssKb: Number(rss), args: args.join(' ') };
    });
  const ours = new Set([rootPid]);
  // Children follow their parents in pid order only mostly: repeat until nothing is added.
  for (let grew = true; grew; ) {
    grew = false;
    for (const row of rows) {
      if (!ours.has(row.pid) && ours.has(row.ppid) && /chrom/i.test(row.args)) {
        ours.add(row.pid);
        grew = true;
      }
    }
  }
  const measured = rows.filter((row) => ours.has(row.pid));
  const pss = await Promise.all(
    measured.map((row) =>
      readFile(`/proc/${row.pid}/smaps_rollup`, 'utf8').then(
        (text) => Number(/^Pss:\s+(\d+)/m.exec(text)?.[1] ?? 0),
        () => 0,
      ),
    ),
  );
  return {
    rssKb: measured.reduce((sum, row) => sum + row.rssKb, 0),
    pssKb: pss.reduce((sum, kb) => sum + kb, 0),
    chromiumProcesses: measured.length - 1,
  };
}
