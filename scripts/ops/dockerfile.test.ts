import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { variables } from '../../config/variables.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const read = (path: string) => readFileSync(join(root, path), 'utf8');

interface Stage {
  name: string;
  from: string;
  lines: string[];
}

/** The build stages of a Dockerfile, continuation lines joined. */
function stagesOf(dockerfile: string): Stage[] {
  const stages: Stage[] = [];
  for (const line of dockerfile.replace(/\\\n\s*/g, ' ').split('\n')) {
    const from = /^FROM (\S+) AS ([\w-]+)$/.exec(line);
    if (from) stages.push({ from: from[1] as string, name: from[2] as string, lines: [] });
    else if (/^[A-Z]+ /.test(line)) stages.at(-1)?.lines.push(line);
  }
  return stages;
}

const stages = stagesOf(read('Dockerfile'));
const stage = (name: string) => stages.find((s) => s.name === name) as Stage;
/** A stage's instructions with those of the stages it is built FROM first. */
const chain = (name: string): string[] => {
  const s = stage(name);
  assert.ok(s, `stage ${name}`);
  return [...(stages.some((p) => p.name === s.from) ? chain(s.from) : []), ...s.lines];
};
const scripts = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts;

describe('the Dockerfile', () => {
  it('builds the service and worker images in stages, each running as a user that is not root', () => {
    for (const target of ['service', 'worker']) {
      const users = chain(target).filter((line) => line.startsWith('USER '));
      assert.equal(users.at(-1), 'USER node', `${target} runs as node`);
      const cmd =
        chain(target)
          .filter((line) => line.startsWith('CMD '))
          .at(-1) ?? '';
      const script = /"npm", "run", "([\w:-]+)"/.exec(cmd)?.[1];
      assert.ok(script && scripts[script], `${target}: ${cmd}`);
      assert.ok(
        chain(target).some((line) => line.startsWith('HEALTHCHECK ')),
        `${target} has a healthcheck`,
      );
    }
    assert.ok(stages.length >= 4, 'dependencies, base, bundle and the two targets');
  });

  it('gives the worker Debian Chromium and the workflow bundle built ahead of time, and loads it', () => {
    const worker = chain('worker').join('\n');
    assert.match(worker, /apt-get install [^\n]*\bchromium\b/);
    assert.match(worker, /CHROMIUM_PATH=\/usr\/bin\/chromium/);
    const copied = /COPY --from=([\w-]+) (\S+) (\S+workflow-bundle\.js)$/m.exec(worker);
    assert.ok(copied, 'the bundle is copied from its stage');
    assert.match(stage(copied[1] as string).lines.join('\n'), /npm run bundle:workflows -- /);
    assert.ok(scripts['bundle:workflows']);
    assert.match(worker, new RegExp(`WORKFLOW_BUNDLE_PATH=${copied[3]}`));
    assert.ok(
      variables.some((v) => v.name === 'WORKFLOW_BUNDLE_PATH'),
      'the worker reads WORKFLOW_BUNDLE_PATH',
    );
  });

  it('installs production dependencies from the lockfile and copies sources that exist', () => {
    assert.match(stage('deps').lines.join('\n'), /npm ci --omit=dev/);
    for (const line of stages.flatMap((s) => s.lines).filter((l) => /^COPY (?!--from)/.test(l))) {
      const sources = line.split(/\s+/).slice(1, -1);
      for (const source of sources) assert.ok(existsSync(join(root, source)), `${line}: ${source}`);
    }
  });

  it('leaves secrets, local data and dependencies out of the build context', () => {
    const ignored = read('.dockerignore').split('\n');
    for (const entry of ['.env', 'node_modules', '.data', '.git', '.tools']) {
      assert.ok(ignored.includes(entry), `.dockerignore lists ${entry}`);
    }
  });
});
