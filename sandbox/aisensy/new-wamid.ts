import { randomBytes } from 'node:crypto';

/** A WhatsApp message id shaped like the real ones (`wamid.` + base64 of an opaque key). */
export function newWamid(phone: string): string {
  const key = Buffer.concat([Buffer.from(`\x18\x0c${phone}\x15\x02\x00\x12\x18\x14`), randomBytes(10)]);
  return `wamid.${key.toString('base64')}`;
}
