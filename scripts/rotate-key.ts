/**
 * `npm run rotate-key`: re-encrypts every personal-data value under the newest key of the ring
 * (ENCRYPTION_KEYS="<new>,<old>"): event payloads, the transcript, outbox payloads, snapshots, notes,
 * orders' email and FAS details, payment providers' raw notifications, unhandled deliveries, and the
 * filing screenshots and traces in DATA_DIR/audit; values written in the clear before this version sealed
 * them are sealed on the way. Batches of 500 rows, each its own transaction; safe to stop and run again
 * (what is already under the newest key is skipped). Prints how many values it looked at and changed per
 * table. The service may keep running on PostgreSQL; with the embedded PGlite stop `npm start` first.
 * Once it reports nothing left to change, the old key can leave the ring.
 */
import { join } from 'node:path';
import { encryptionKeys } from '../config/encryption-key.js';
import { loadConfigOrExit } from '../config/load-config.js';
import { createDatabase } from '../db/create-database.js';
import { keyIdOf } from '../db/encrypt-field.js';
import { reencryptArtefacts } from './rotate-key/reencrypt-artefacts.js';
import { reencryptDatabase } from './rotate-key/reencrypt-database.js';

const config = loadConfigOrExit();
const keys = encryptionKeys(config);
const database = await createDatabase(
  config.databaseUrl
    ? { url: config.databaseUrl, maxConnections: 2 }
    : { pgliteDir: join(config.dataDir, 'pglite') },
);
try {
  await database.migrate();
  console.log(
    `re-encrypting under key ${keyIdOf(keys[0] as Buffer)} (ring: ${keys.map(keyIdOf).join(', ')})`,
  );
  const counts = await reencryptDatabase(database.db, keys);
  counts['DATA_DIR/audit files'] = await reencryptArtefacts(config.dataDir, keys);
  for (const [where, { scanned, changed }] of Object.entries(counts))
    console.log(
      `${where.padEnd(36)} ${String(scanned).padStart(8)} looked at ${String(changed).padStart(8)} changed`,
    );
  const changed = Object.values(counts).reduce((sum, count) => sum + count.changed, 0);
  console.log(changed === 0 ? 'everything is under the newest key' : `${changed} values re-encrypted`);
} finally {
  await database.close();
}
