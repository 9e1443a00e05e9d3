import type { LoggerOptions } from 'pino';
import type { Config } from '../load-config.js';
import { maskPersonalData } from './mask-personal-data.js';
import { redactLogValue } from './redact-log-value.js';

// Belt and braces beside redactLogValue: pino removes these paths however the object was built.
const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-aisensy-signature"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.passphrase',
  '*.signature',
  '*.token',
  '*.payToken',
  '*.cookie',
  '*.authorization',
];

interface LoggedRequest {
  method: string;
  url: string;
}

/**
 * The one logger configuration of every process (service, worker, launcher): pino `redact` for known
 * credential paths, every logged object and message masked (phone numbers as `+27 82 ••• 4567`; ID numbers,
 * emails and pay tokens replaced; passwords, signatures, cookies and authorization headers never
 * written), and requests logged as method and masked URL only (no headers, no client address). Fastify
 * adds the request id (`reqId`) to every line of a request; the engine, outbox and worker add the
 * conversation, order and workflow ids they work on.
 */
export function loggerOptions(config: Pick<Config, 'env' | 'logLevel'>): LoggerOptions {
  return {
    level: config.logLevel,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    serializers: {
      req: (request: LoggedRequest) => ({ method: request.method, url: maskPersonalData(request.url) }),
      res: (reply: { statusCode: number }) => ({ statusCode: reply.statusCode }),
      // pino serializes the message with the serializer of its key: printf arguments are in it by then.
      msg: (message: unknown) => (typeof message === 'string' ? maskPersonalData(message) : message),
      // Already redacted by the formatter below unless it is still an Error.
      err: (error: unknown) => (error instanceof Error ? redactLogValue(error) : error),
    },
    formatters: {
      // Runs before the serializers: req and res are left to theirs (a request object is large and its
      // method and url are getters a copy would lose).
      log: ({ req, res, ...rest }) => ({
        ...redactLogValue(rest),
        ...(req !== undefined && { req }),
        ...(res !== undefined && { res }),
      }),
    },
    ...(config.env === 'development' && {
      transport: {
        target: 'pino-pretty',
        options: { translateTime: 'HH:MM:ss.l', ignore: 'pid,hostname' },
      },
    }),
  };
}
