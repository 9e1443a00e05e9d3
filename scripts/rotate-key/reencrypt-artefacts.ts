import { readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { keyIdOf } from '../../db/encrypt-field.js';
import { isSealedBytes, openBytes, sealBytes, sealedBytesKeyId } from '../../db/seal-bytes.js';
import type { KeyRing } from '../../db/seal-json.js';

/**
 * Re-seals the filing artefacts (DATA_DIR/audit/<orderId>/*.sealed) not yet under the newest key. Each is
 * written whole to a temporary file and renamed over the old one, so a rotation killed mid-file leaves
 * the old file, still readable with the old key, and a re-run picks it up.
 */
export async function reencryptArtefacts(
  dataDir: string,
  keys: KeyRing,
): Promise<{ scanned: number; changed: number }> {
  const root = join(dataDir, 'audit');
  const newest = keyIdOf(keys[0] as Buffer);
  const tally = { scanned: 0, changed: 0 };
  const orders = await readdir(root, { withFileTypes: true }).catch(() => []);
  for (const order of orders.filter((entry) => entry.isDirectory())) {
    const dir = join(root, order.name);
    for (const name of (await readdir(dir)).filter((file) => file.endsWith('.sealed'))) {
      tally.scanned += 1;
      const path = join(dir, name);
      const stored = await readFile(path);
      if (!isSealedBytes(stored) || sealedBytesKeyId(stored) === newest) continue;
      const next = `${path}.rotating`;
      await writeFile(next, sealBytes(openBytes(stored, keys), keys), { mode: 0o600 });
      await rename(next, path);
      tally.changed += 1;
    }
  }
  return tally;
}
