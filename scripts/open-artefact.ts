/**
 * Opens a sealed filing artefact (a screenshot or Playwright trace from DATA_DIR/audit/<orderId>/) with the
 * key ring of this environment: `npx tsx scripts/open-artefact.ts <file>.sealed [out]` writes the PNG or
 * zip to `out` (default: the name without `.sealed`, 0600), ready for an image viewer or
 * `npx playwright show-trace`. The opened copy is personal data: delete it when done.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { encryptionKeys } from '../config/encryption-key.js';
import { loadConfigOrExit } from '../config/load-config.js';
import { openBytes } from '../db/seal-bytes.js';

const [file, out] = process.argv.slice(2);
if (!file?.endsWith('.sealed')) {
  console.error('usage: npx tsx scripts/open-artefact.ts <file>.sealed [out]');
  process.exit(64);
}
const opened = out ?? file.slice(0, -'.sealed'.length);
await writeFile(opened, openBytes(await readFile(file), encryptionKeys(loadConfigOrExit())), { mode: 0o600 });
console.log(`opened ${file} -> ${opened} (personal data: delete it when done)`);
