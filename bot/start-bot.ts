import { Connection } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config/load-config.js';
import type { Database } from '../db/create-database.js';
import { type AppDependencies, buildApp } from './build-app.js';

export interface RunningBot {
  app: FastifyInstance;
  url: string;
  /** Stops taking requests, lets in-flight ones finish, then closes the Temporal connection. */
  stop(): Promise<void>;
}

export async function startBot(options: {
  config: Config;
  database: Database;
  temporalAddress: string;
  extraRoutes?: AppDependencies['extraRoutes'];
}): Promise<RunningBot> {
  // Lazy: the service starts (and reports Temporal unhealthy) while Temporal is down; work waits in the outbox.
  const temporal = Connection.lazy({ address: options.temporalAddress });
  const app = await buildApp({
    config: options.config,
    db: options.database.db,
    temporal,
    extraRoutes: options.extraRoutes,
  });
  const address = await app.listen({ port: options.config.port, host: options.config.host });
  return {
    app,
    url: address,
    async stop() {
      await app.close();
      await temporal.close();
    },
  };
}
