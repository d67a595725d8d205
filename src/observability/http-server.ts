// The operator's plain-HTTP endpoints — /healthz, /readyz (probes) and /metrics (Prometheus) — on
// node:http, with controller-runtime's bind-address syntax and kube-apiserver's health-check output.

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';

export interface RouteAnswer {
  status: number;
  body: string;
  /** Default text/plain; charset=utf-8. */
  contentType?: string;
}

/** Answers a GET (or HEAD) of one path; receives the query string. */
export type Route = (query: URLSearchParams) => Promise<RouteAnswer>;

export interface HttpServerOptions {
  /** controller-runtime syntax: ":8080" all interfaces, "127.0.0.1:0" an ephemeral port, "0" disabled. */
  address: string;
  /** Exact paths, e.g. "/metrics". */
  routes: Record<string, Route>;
  /** Where route failures are reported (the HTTP answer stays generic). */
  log?: Logger;
}

export interface RunningServer {
  /** A URL that reaches the server from this host, e.g. http://127.0.0.1:8081. */
  url: string;
  port: number;
  close(): Promise<void>;
}

export interface BindAddress {
  /** undefined: all interfaces. */
  host: string | undefined;
  port: number;
}

const BIND_ADDRESS = /^(?:\[([0-9A-Fa-f:.]+)\]|([^:[\]]*)):(\d{1,5})$/;

/**
 * Parses a bind address like controller-runtime's flags: "host:port", ":port" (all interfaces),
 * "[ipv6]:port"; port 0 picks a free port; "0" (or "") disables the server and returns undefined.
 */
export function parseBindAddress(address: string): BindAddress | undefined {
  if (address === '0' || address === '') return undefined;
  const match = BIND_ADDRESS.exec(address);
  const port = Number(match?.[3]);
  if (!match || port > 65_535) throw new Error(`invalid bind address "${address}": want "host:port", ":port" or "0" to disable`);
  const host = match[1] ?? match[2];
  return { host: host === '' ? undefined : host, port };
}

/** Starts serving `routes` on `address`; resolves undefined when the address disables the server. */
export async function startHttpServer(options: HttpServerOptions): Promise<RunningServer | undefined> {
  const bind = parseBindAddress(options.address);
  if (!bind) return undefined;
  const server = createServer((request, response) => {
    answer(request, response, options).catch(() => response.destroy());
  });
  // Probes and scrapes are small: a client that trickles its request must not hold a socket.
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(bind.port, bind.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${reachableHost(bind.host)}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function answer(request: IncomingMessage, response: ServerResponse, options: HttpServerOptions): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://localhost');
  const route = Object.hasOwn(options.routes, url.pathname) ? options.routes[url.pathname] : undefined;
  let result: RouteAnswer;
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    result = { status: 405, body: 'method not allowed\n' };
    response.setHeader('allow', 'GET, HEAD');
  } else if (!route) {
    result = { status: 404, body: 'not found\n' };
  } else {
    result = await runRoute(route, url, options.log);
  }
  send(response, result, request.method === 'HEAD');
}

async function runRoute(route: Route, url: URL, log: Logger | undefined): Promise<RouteAnswer> {
  try {
    return await route(url.searchParams);
  } catch (error) {
    log?.error({ err: error, path: url.pathname }, 'HTTP route failed');
    return { status: 500, body: 'internal error\n' };
  }
}

function send(response: ServerResponse, result: RouteAnswer, headOnly: boolean): void {
  const body = Buffer.from(result.body);
  response.writeHead(result.status, {
    'content-type': result.contentType ?? 'text/plain; charset=utf-8',
    'content-length': body.length,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  response.end(headOnly ? undefined : body);
}

// An unspecified host listens on every interface (dual-stack), loopback included.
function reachableHost(host: string | undefined): string {
  if (host === undefined || host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

// ------------------------------------------------------------------ health

/** A health check: true when healthy; false or a reason (string) when not. May be async. */
export type HealthCheck = () => boolean | string | Promise<boolean | string>;

export interface HealthChecks {
  /** /healthz: is the process alive (restart it if not)? */
  live: Record<string, HealthCheck>;
  /** /readyz: should it receive traffic / count as ready? */
  ready: Record<string, HealthCheck>;
}

interface CheckResult {
  name: string;
  ok: boolean;
  reason: string;
  excluded: boolean;
}

/**
 * Kubernetes-style /healthz and /readyz (kube-apiserver's output): 200 "ok" when every check passes;
 * otherwise 500 listing every check as "[+]name ok" or "[-]name failed: reason". `?verbose` lists
 * them on success too; `?exclude=name` skips a check. /healthz/<name> and /readyz/<name> answer for
 * one check. The check records are read per request, so checks added to them later count (their
 * per-check paths exist only for the checks present now).
 */
export function healthRoutes(checks: HealthChecks): Record<string, Route> {
  return { ...endpointRoutes('healthz', checks.live), ...endpointRoutes('readyz', checks.ready) };
}

function endpointRoutes(endpoint: string, checks: Record<string, HealthCheck>): Record<string, Route> {
  const routes: Record<string, Route> = { [`/${endpoint}`]: (query) => healthAnswer(endpoint, checks, query) };
  for (const name of Object.keys(checks)) routes[`/${endpoint}/${name}`] = () => singleCheckAnswer(name, checks);
  return routes;
}

async function healthAnswer(endpoint: string, checks: Record<string, HealthCheck>, query: URLSearchParams): Promise<RouteAnswer> {
  const excluded = new Set(query.getAll('exclude'));
  const results = await Promise.all(Object.entries(checks).map(([name, check]) => runCheck(name, check, excluded.has(name))));
  const healthy = results.every((result) => result.ok);
  if (healthy && !query.has('verbose')) return { status: 200, body: 'ok' };
  const lines = results.map(describeResult);
  const verdict = `${endpoint} check ${healthy ? 'passed' : 'failed'}`;
  return { status: healthy ? 200 : 500, body: `${lines.join('\n')}\n${verdict}\n` };
}

async function singleCheckAnswer(name: string, checks: Record<string, HealthCheck>): Promise<RouteAnswer> {
  const check = checks[name];
  const result = check ? await runCheck(name, check, false) : { name, ok: false, reason: 'check removed', excluded: false };
  return result.ok ? { status: 200, body: 'ok' } : { status: 500, body: `${describeResult(result)}\n` };
}

async function runCheck(name: string, check: HealthCheck, excluded: boolean): Promise<CheckResult> {
  if (excluded) return { name, ok: true, reason: '', excluded };
  try {
    const outcome = await check();
    if (outcome === true) return { name, ok: true, reason: '', excluded };
    return { name, ok: false, reason: outcome === false ? 'check failed' : outcome, excluded };
  } catch (error) {
    return { name, ok: false, reason: error instanceof Error ? error.message : String(error), excluded };
  }
}

function describeResult(result: CheckResult): string {
  if (result.excluded) return `[+]${result.name} excluded: ok`;
  return result.ok ? `[+]${result.name} ok` : `[-]${result.name} failed: ${result.reason}`;
}

// ------------------------------------------------------------------ metrics

/** GET /metrics in the registry's exposition format. */
export function metricsRoute(registry: Registry): Route {
  return async () => ({ status: 200, body: await registry.metrics(), contentType: registry.contentType });
}
