import { readFile } from 'node:fs/promises';
import type { FastifyPluginAsync } from 'fastify';
import type { AisensyWorld, UserMessageInput } from './create-aisensy-world.js';

const ASSETS = {
  'app.js': 'text/javascript; charset=utf-8',
  'app.css': 'text/css; charset=utf-8',
} as const;

/** The phone simulator page and the small JSON API it polls. */
export function phoneRoutes(options: {
  world: AisensyWorld;
  path: string;
  businessName: string;
}): FastifyPluginAsync {
  const { world, path } = options;
  return async (app) => {
    const page = (await readFile(new URL('./phone-page/phone.html', import.meta.url), 'utf8'))
      .replaceAll('{{BASE}}', escapeAttribute(path))
      .replaceAll('{{BUSINESS}}', escapeAttribute(options.businessName));
    const assets = new Map<string, string>();
    for (const name of Object.keys(ASSETS)) {
      assets.set(name, await readFile(new URL(`./phone-page/${name}`, import.meta.url), 'utf8'));
    }

    app.get(path, async (_request, reply) => reply.type('text/html; charset=utf-8').send(page));
    for (const [name, type] of Object.entries(ASSETS)) {
      app.get(`${path}/${name}`, async (_request, reply) => reply.type(type).send(assets.get(name)));
    }

    app.get<{ Querystring: { phone?: string } }>(`${path}/api/messages`, async (request, reply) => {
      const phone = phoneOf(request.query.phone);
      if (!phone) return reply.code(400).send({ error: 'phone must be digits with a country code' });
      world.phoneFetched(phone);
      const messages = world.conversation(phone).map(({ request: _sent, ...message }) => message);
      return { phone, userName: world.userName(phone) ?? null, messages };
    });

    app.get(`${path}/api/phones`, async () => ({
      phones: world.phones().map((phone) => ({ phone, userName: world.userName(phone) ?? null })),
    }));

    app.post<{ Body: Omit<UserMessageInput, 'phone'> & { phone?: string } }>(
      `${path}/api/send`,
      async (request, reply) => {
        const body = request.body ?? {};
        const phone = phoneOf(body.phone);
        if (!phone) return reply.code(400).send({ error: 'phone must be digits with a country code' });
        if (!body.text?.trim() && !body.buttonReply && !body.listReply && !body.media) {
          return reply.code(400).send({ error: 'send text, buttonReply, listReply or media' });
        }
        const { message } = world.userSends({ ...body, phone });
        return { wamid: message.wamid, status: message.status };
      },
    );

    app.post<{ Body: { phone?: string } }>(`${path}/api/read`, async (request, reply) => {
      const phone = phoneOf(request.body?.phone);
      if (!phone) return reply.code(400).send({ error: 'phone must be digits with a country code' });
      world.phoneRead(phone);
      return { ok: true };
    });
  };
}

function phoneOf(raw: string | undefined): string | undefined {
  const digits = raw?.replace(/[\s+()-]/g, '') ?? '';
  return /^[1-9]\d{7,14}$/.test(digits) ? digits : undefined;
}

function escapeAttribute(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
