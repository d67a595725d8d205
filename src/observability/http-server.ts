// /healthz, /readyz and /metrics on node:http, with controller-runtime's bind-address syntax.

import { createServer } from 'node:http';
import type { Registry } from 'prom-client';

export interface RouteAnswer {
  status: number;
  body: string;
  contentType?: string;
}

export type Route = (query: URLSearchParams) => Promise<RouteAnswer>;

export interface RunningServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** ":8080" -> all interfaces; "127.0.0.1:0" -> ephemeral; "0" -> disabled (undefined). */
export function parseBindAddress(address: string): { host: string | undefined; port: number } | undefined {
  if (address === '0' || address === '') return undefined;
  const at = address.lastIndexOf(':');
  const host = at > 0 ? address.slice(0, at).replace(/^\[|\]$/g, '') : undefined;
  const port = Number(address.slice(at + 1));
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid bind address "${address}"`);
  return { host, port };
}

export async function startHttpServer(options: { address: string; routes: Record<string, Route> }): Promise<RunningServer | undefined> {
  const bind = parseBindAddress(options.address);
  if (!bind) return undefined;
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const route = options.routes[url.pathname];
    if (!route) {
      res.writeHead(404).end('not found\n');
      return;
    }
    route(url.searchParams).then(
      (answer) => res.writeHead(answer.status, { 'content-type': answer.contentType ?? 'text/plain; charset=utf-8' }).end(answer.body),
      (error: unknown) => res.writeHead(500).end(`${(error as Error).message}\n`),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(bind.port, bind.host, resolve);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : bind.port;
  const host = bind.host && bind.host !== '0.0.0.0' ? bind.host : '127.0.0.1';
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

export type Check = () => boolean | string;

/** Kubernetes-style health endpoints: 200 "ok", or 500 naming the failing checks; ?verbose lists all. */
export function healthRoutes(checks: { live: Record<string, Check>; ready: Record<string, Check> }): Record<string, Route> {
  return { '/healthz': healthRoute(checks.live), '/readyz': healthRoute(checks.ready) };
}

function healthRoute(checks: Record<string, Check>): Route {
  return async (query) => {
    const lines: string[] = [];
    let ok = true;
    for (const [name, check] of Object.entries(checks)) {
      const result = check();
      if (result === true) lines.push(`[+]${name} ok`);
      else {
        ok = false;
        lines.push(`[-]${name} failed: ${result === false ? 'not ok' : result}`);
      }
    }
    const verbose = query.has('verbose');
    const body = verbose || !ok ? `${lines.join('\n')}\n${ok ? 'check passed' : 'check failed'}\n` : 'ok';
    return { status: ok ? 200 : 500, body };
  };
}

export function metricsRoute(registry: Registry): Route {
  return async () => ({ status: 200, body: await registry.metrics(), contentType: registry.contentType });
}
