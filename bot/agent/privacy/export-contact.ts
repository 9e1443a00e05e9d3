import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Db } from '../../../db/create-database.js';
import { decryptField } from '../../../db/encrypt-field.js';
import { isSealedBytes, openBytes } from '../../../db/seal-bytes.js';
import { type KeyRing, openJson } from '../../../db/seal-json.js';
import { loadContactData } from './contact-data.js';
import { filingArtefactsDir } from './filing-artefacts-dir.js';

async function artefactsOf(dataDir: string, orderId: string) {
  const dir = filingArtefactsDir(dataDir, orderId);
  const names = await readdir(dir).catch(() => [] as string[]);
  return Promise.all(
    names
      .sort()
      .map(async (name) => ({ order: orderId, file: name, bytes: (await stat(join(dir, name))).size })),
  );
}

function openRaw(raw: Buffer, keys: KeyRing): string {
  return (isSealedBytes(raw) ? openBytes(raw, keys) : raw).toString('utf8');
}

/**
 * Everything held about a phone number, decrypted, for the person it belongs to (POPIA s23: the right
 * of access): the contact with its consent, the conversation's state, the transcript, every event and
 * outgoing command, orders with email and financial-statement details, payments and the providers' raw
 * notifications, filings, and who in our team looked at or changed any of it. Screenshots and traces are
 * listed, not embedded (they are megabytes; an admin sends them separately on request).
 */
export async function exportContact(db: Db, keys: KeyRing, phone: string, dataDir: string) {
  const data = await loadContactData(db, phone);
  if (!data) return undefined;
  const { contact, conversation } = data;
  return {
    exportedAt: new Date().toISOString(),
    phone,
    contact: {
      id: contact.id,
      phone: contact.phone,
      name: contact.name,
      consent: { version: contact.consentVersion, givenAt: contact.consentAt },
      optedOutAt: contact.optedOutAt,
      erasedAt: contact.erasedAt,
      createdAt: contact.createdAt,
    },
    conversation: conversation && {
      id: conversation.id,
      owner: conversation.owner,
      needsAgent: conversation.needsAgent,
      lastInboundAt: conversation.lastInboundAt,
      createdAt: conversation.createdAt,
      updatedAt: conversation.updatedAt,
      state: conversation.snapshot === null ? null : openJson(conversation.snapshot, keys),
    },
    transcript: data.messages.map((message) => ({
      ...message,
      body: openJson(message.body, keys),
    })),
    events: data.events.map((event) => ({ ...event, payload: openJson(event.payload, keys) })),
    outbox: data.outbox.map((command) => ({ ...command, payload: openJson(command.payload, keys) })),
    agentNotes: data.notes.map((note) => ({ ...note, body: openJson(note.body, keys) })),
    reminders: data.reminders.map((reminder) => ({ ...reminder, payload: openJson(reminder.payload, keys) })),
    unhandledDeliveries: data.unhandledDeliveries.map((delivery) => ({
      ...delivery,
      body: openJson(delivery.body, keys),
    })),
    orders: data.orders.map(({ emailEncrypted, fasEncrypted, payToken: _token, ...order }) => ({
      ...order,
      email: emailEncrypted ? decryptField(emailEncrypted, keys) : null,
      financialStatements: fasEncrypted ? JSON.parse(decryptField(fasEncrypted, keys)) : null,
    })),
    paymentRequests: data.paymentRequests,
    payments: data.payments,
    paymentNotifications: data.paymentNotifications.map((notification) => ({
      ...notification,
      rawBody: openRaw(notification.rawBody, keys),
    })),
    filings: data.filings.map(({ captchaPngBase64: _captcha, ...filing }) => filing),
    filingActions: data.filingActions,
    filingArtefacts: (await Promise.all(data.orders.map((order) => artefactsOf(dataDir, order.id)))).flat(),
    accessLog: data.audit,
  };
}
