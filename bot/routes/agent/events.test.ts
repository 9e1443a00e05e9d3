import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eq } from 'drizzle-orm';
import { contacts, conversations } from '../../../db/schema.js';
import { logInAgent } from '../../agent/testing/log-in-agent.js';
import { buildTestApp, postAisensy, userTextEnvelope } from '../../testing/build-test-app.js';

/** Reads server-sent events from a stream until `matches` accepts one (or the time runs out). */
async function readUntil(
  body: ReadableStream<Uint8Array>,
  matches: (event: { event: string; data: string }) => boolean,
  timeoutMs = 30_000,
): Promise<{ event: string; data: string }> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const timer = setTimeout(() => void reader.cancel('timed out'), timeoutMs);
  let buffer = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`the stream ended without the event; it said:\n${buffer}`);
      buffer += decoder.decode(value, { stream: true });
      let end = buffer.indexOf('\n\n');
      while (end >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (event && data !== undefined && matches({ event, data })) return { event, data };
        end = buffer.indexOf('\n\n');
      }
    }
  } finally {
    clearTimeout(timer);
    reader.releaseLock();
  }
}

describe('GET /api/v1/agent/events', () => {
  let t: Awaited<ReturnType<typeof buildTestApp>>;
  let url: string;
  before(async () => {
    t = await buildTestApp();
    url = await t.app.listen({ host: '127.0.0.1', port: 0 });
  });
  after(() => t.close());

  it('answers 401 without a session, and nothing streams', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/v1/agent/events' });
    assert.equal(response.statusCode, 401);
    assert.equal(response.json().error, 'unauthenticated');
  });

  it('names the conversation of a message stored after the stream opened', async () => {
    const agent = await logInAgent(t.app, t.database.db);
    const stream = new AbortController();
    const response = await fetch(`${url}/api/v1/agent/events`, {
      headers: { cookie: agent.cookie },
      signal: stream.signal,
    });
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/event-stream/);

    const phone = '+27825550101';
    assert.equal((await postAisensy(t.app, userTextEnvelope(phone, 'hi'))).statusCode, 200);
    const [row] = await t.database.db
      .select({ id: conversations.id })
      .from(conversations)
      .innerJoin(contacts, eq(contacts.id, conversations.contactId))
      .where(eq(contacts.phone, phone));
    const id = row?.id as string;

    const seen = await readUntil(
      response.body as ReadableStream<Uint8Array>,
      (e) => e.event === 'conversation' && JSON.parse(e.data).id === id,
    );
    assert.deepEqual(JSON.parse(seen.data), { id });
    stream.abort();
  });

  it('ends open streams when the service closes, so shutdown does not wait for them', async () => {
    const other = await buildTestApp();
    const otherUrl = await other.app.listen({ host: '127.0.0.1', port: 0 });
    const agent = await logInAgent(other.app, other.database.db);
    const response = await fetch(`${otherUrl}/api/v1/agent/events`, { headers: { cookie: agent.cookie } });
    assert.equal(response.status, 200);
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    await other.close();
    for (;;) {
      const { done } = await reader.read();
      if (done) break;
    }
  });
});
