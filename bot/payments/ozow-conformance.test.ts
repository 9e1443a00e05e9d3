import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import Fastify from 'fastify';
import { createOzowClient } from './create-ozow-client.js';
import { verifyOzowNotificationHash } from './ozow-hash.js';

/** Fixtures written from Ozow's documentation (each file names its source), replayed to our code. */
const fixture = async <T>(name: string): Promise<T> =>
  JSON.parse(await readFile(new URL(`./fixtures/ozow/${name}`, import.meta.url), 'utf8')) as T;

interface Notifications {
  privateKey: string;
  notifications: { what: string; body: string }[];
}
interface StatusAnswers {
  answers: { what: string; body: unknown }[];
}

describe('Ozow conformance (documented shapes)', () => {
  it('verifies the Hash of each documented notification body, and refuses it once a value changes', async () => {
    const { privateKey, notifications } = await fixture<Notifications>('notifications.json');
    for (const { what, body } of notifications) {
      const fields = Object.fromEntries(new URLSearchParams(body));
      assert.equal(verifyOzowNotificationHash(fields, privateKey), true, what);
      assert.equal(verifyOzowNotificationHash({ ...fields, Amount: '349.01' }, privateKey), false, what);
      assert.equal(
        verifyOzowNotificationHash({ ...fields, IsTest: 'false' }, privateKey),
        fields.IsTest === 'false',
      );
    }
  });

  describe('GetTransactionByReference', () => {
    const ozow = Fastify();
    let answer: unknown;
    const asked: { query: Record<string, string>; apiKey: unknown; accept: unknown }[] = [];
    let apiUrl = '';
    before(async () => {
      ozow.get('/GetTransactionByReference', async (request) => {
        asked.push({
          query: { ...(request.query as Record<string, string>) },
          apiKey: request.headers.apikey,
          accept: request.headers.accept,
        });
        return answer;
      });
      apiUrl = await ozow.listen({ host: '127.0.0.1', port: 0 });
    });
    after(() => ozow.close());

    const client = (isTest: boolean) =>
      createOzowClient({ apiUrl, siteCode: 'TSTSTE0001', privateKey: 'k', apiKey: 'api-key', isTest });

    it('asks as documented, with IsTest in the mode we pay in', async () => {
      answer = [];
      await client(true).transactionsByReference('CIPC-2026-000123');
      await client(false).transactionsByReference('CIPC-2026-000123');
      assert.deepEqual(
        asked.slice(-2).map((a) => a.query),
        [true, false].map((isTest) => ({
          siteCode: 'TSTSTE0001',
          transactionReference: 'CIPC-2026-000123',
          IsTest: String(isTest),
        })),
      );
      assert.deepEqual(
        asked.slice(-2).map((a) => [a.apiKey, a.accept]),
        [
          ['api-key', 'application/json'],
          ['api-key', 'application/json'],
        ],
      );
    });

    it('reads every documented answer: each attempt, in either property case, amounts in cents', async () => {
      const { answers } = await fixture<StatusAnswers>('get-transaction-by-reference.json');
      const read = [];
      for (const { body } of answers) {
        answer = body;
        read.push(await client(true).transactionsByReference('CIPC-2026-000123'));
      }
      const complete = {
        transactionId: 'd3f1c6a2-8b4e-4f0a-9c57-2e6b1a9f4d30',
        transactionReference: 'CIPC-2026-000123',
        status: 'Complete',
        amountCents: 34_900,
      };
      assert.deepEqual(read, [
        [
          { ...complete, transactionId: '0f8e2b61-3a5c-4d7e-8f90-1a2b3c4d5e6f', status: 'Cancelled' },
          complete,
        ],
        [complete],
      ]);
    });

    it('refuses an answer it cannot read rather than taking it for "no such transaction"', async () => {
      for (const body of [
        { transactions: [] },
        [{ status: 'Complete', amount: 349 }],
        [{ transactionId: 'x', status: 'Complete' }],
      ]) {
        answer = body;
        await assert.rejects(client(true).transactionsByReference('CIPC-2026-000123'), {
          name: 'OzowApiError',
        });
      }
    });
  });
});
