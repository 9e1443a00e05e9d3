import { Type } from '@sinclair/typebox';
import { Client, type Connection } from '@temporalio/client';
import { eq } from 'drizzle-orm';
import type { FastifyPluginAsync } from 'fastify';
import type { Db } from '../../../db/create-database.js';
import { filings } from '../../../db/schema.js';
import { actOnFiling } from '../../agent/filings/act-on-filing.js';
import {
  FilingActionEnvelope,
  type FilingActionName,
  parseFilingAction,
} from '../../agent/filings/filing-action.js';
import { readFiling } from '../../agent/filings/read-filing.js';
import { httpError } from '../../http-error.js';

const FilingParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
type FilingParams = { id: string };

/**
 * Filings that need a person, for the agent console: what a filing waits for (`GET filings/:id`), the
 * security code 2Captcha could not read (`GET filings/:id/captcha`), and a person's answer (`POST
 * filings/:id/actions`: retry, captcha, balanceToppedUp, markFiled, cancel), which reaches the workflow as
 * its signal through the outbox. All behind the agent session (and CSRF on the POST).
 */
export const agentFilingRoutes: FastifyPluginAsync<{
  db: Db;
  temporal: Connection;
  namespace: string;
}> = async (app, options) => {
  const { db } = options;
  const temporal = new Client({ connection: options.temporal, namespace: options.namespace });
  app.get<{ Params: FilingParams }>(
    '/api/v1/agent/filings/:id',
    { preHandler: app.requireAgent, schema: { params: FilingParams } },
    async (request) => {
      const filing = await readFiling(db, temporal, request.params.id);
      if (!filing) throw httpError(404, 'not_found', `no filing ${request.params.id}`);
      return filing;
    },
  );

  app.get<{ Params: FilingParams }>(
    '/api/v1/agent/filings/:id/captcha',
    { preHandler: app.requireAgent, schema: { params: FilingParams } },
    async (request, reply) => {
      const [filing] = await db
        .select({ png: filings.captchaPngBase64 })
        .from(filings)
        .where(eq(filings.id, request.params.id));
      if (!filing) throw httpError(404, 'not_found', `no filing ${request.params.id}`);
      if (filing.png === null) {
        throw httpError(404, 'no_captcha', 'no security code waits to be read for this filing');
      }
      // A code is read once, by a person, while it is fresh: never from a cache.
      return reply
        .type('image/png')
        .header('cache-control', 'no-store')
        .send(Buffer.from(filing.png, 'base64'));
    },
  );

  app.post<{ Params: FilingParams; Body: { action: FilingActionName } }>(
    '/api/v1/agent/filings/:id/actions',
    { preHandler: app.requireAgent, schema: { params: FilingParams, body: FilingActionEnvelope } },
    async (request, reply) => {
      const accepted = await actOnFiling(db, {
        filingId: request.params.id,
        agent: request.agent as NonNullable<typeof request.agent>,
        action: parseFilingAction(request.body),
      });
      return reply.code(202).send({
        ...accepted,
        message: 'recorded and on its way to the filing; the owner is told when the filing acts on it',
      });
    },
  );
};
