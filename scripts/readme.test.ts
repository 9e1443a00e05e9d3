import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { variables } from '../config/variables.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

describe('README', () => {
  it('documents every environment variable the configuration reads', () => {
    const missing = variables.filter((v) => !readme.includes(`| \`${v.name}\` |`)).map((v) => v.name);
    assert.deepEqual(missing, []);
  });

  it('shows the two commands', () => {
    assert.match(readme, /npm run setup && npm start/);
    assert.match(readme, /npm test/);
  });
});
