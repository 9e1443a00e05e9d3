import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { workerMetrics } from './worker-metrics.js';

export interface WorkerMetricsServer {
  url: string;
  close(): Promise<void>;
}

/**
 * `GET /metrics` for Prometheus on a port of the worker's own (WORKER_METRICS_PORT): the worker serves no
 * HTTP otherwise, and a pull endpoint keeps it scrape-configured like the service. Port 0 picks a free one.
 */
export async function serveWorkerMetrics(port: number, host: string): Promise<WorkerMetricsServer> {
  const server = createServer((request, response) => {
    if (request.method !== 'GET' || request.url?.split('?')[0] !== '/metrics') {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('only GET /metrics here\n');
      return;
    }
    workerMetrics.registry.metrics().then(
      (text) => response.writeHead(200, { 'content-type': workerMetrics.registry.contentType }).end(text),
      (err: unknown) => response.writeHead(500, { 'content-type': 'text/plain' }).end(`${err}\n`),
    );
  });
  await new Promise<void>((listening, failed) => {
    server.once('error', failed);
    server.listen(port, host, () => listening());
  });
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host}:${bound}`,
    close: () => new Promise((closed) => server.close(() => closed())),
  };
}
