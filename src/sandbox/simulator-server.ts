// The HTTP side every simulator shares: a real node:http (or https) server that reads each
// request, applies latency and transport-level faults, asks the vendor handler for the answer,
// and records the call. Vendor handlers only speak their vendor's protocol.

import { timingSafeEqual } from 'node:crypto';
import { createServer as createHttpServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import type { VendorName } from '../api/types.ts';
import type { FaultInjector, InjectedFault } from './faults.ts';
import type { FaultKind, SimulatorCall, TlsOptions } from './types.ts';

export interface SimRequest {
  method: string;
  /** Path and query, resolved against the simulator's own origin. */
  url: URL;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface CallDescription {
  action: string;
  account: string;
  roomId: string;
  userIds: string[];
}

/** Faults a vendor handler answers itself, after authentication. */
export type VendorFault = 'rateLimit' | 'internalError' | 'authExpired' | { errorCode: string };

export interface VendorReply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
  code: string;
  requestId: string;
}

export interface SimulatorHandler {
  /** Best-effort reading of action/account/room/users, for the call log (no auth). */
  describe(request: SimRequest): CallDescription;
  /** The vendor's answer. `fault` applies after authentication, as the vendor would answer. */
  answer(request: SimRequest, fault: VendorFault | undefined, retryAfterSeconds: number | undefined): VendorReply;
}

export interface SimulatorServerOptions {
  vendor: VendorName;
  handler: SimulatorHandler;
  faults: FaultInjector;
  now: () => number;
  host?: string;
  port?: number;
  tls?: TlsOptions;
}

const MAX_BODY_BYTES = 10 * 1024 * 1024;
const EMPTY_DESCRIPTION: CallDescription = { action: '', account: '', roomId: '', userIds: [] };

export class SimulatorServer {
  readonly calls: SimulatorCall[] = [];
  private readonly options: SimulatorServerOptions;
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private origin = '';

  private constructor(options: SimulatorServerOptions) {
    this.options = options;
    const listener = (req: IncomingMessage, res: ServerResponse): void => {
      void this.onRequest(req, res);
    };
    this.server = options.tls
      ? createHttpsServer({ key: options.tls.key, cert: options.tls.cert }, listener)
      : createHttpServer(listener);
    this.server.keepAliveTimeout = 60_000;
    this.server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    this.server.on('secureConnection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  static async start(options: SimulatorServerOptions): Promise<SimulatorServer> {
    const simulator = new SimulatorServer(options);
    await new Promise<void>((resolve, reject) => {
      simulator.server.once('error', reject);
      simulator.server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
    });
    const address = simulator.server.address() as AddressInfo;
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    simulator.origin = `${options.tls ? 'https' : 'http'}://${host}:${address.port}`;
    return simulator;
  }

  get url(): string {
    return this.origin;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    // Hung ("timeout" fault) and idle keep-alive sockets would hold close() open forever.
    for (const socket of this.sockets) socket.destroy();
    this.server.closeAllConnections();
    await closed;
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let body: Buffer;
    try {
      body = await readBody(req);
    } catch {
      req.socket.destroy();
      return;
    }
    const request: SimRequest = {
      method: req.method ?? 'GET',
      url: new URL(req.url ?? '/', 'http://simulator.invalid'),
      headers: req.headers,
      body,
    };
    const description = this.describe(request);
    const fault = this.options.faults.draw();
    const latencyMs = this.options.faults.latencyMs;
    if (latencyMs > 0) await delay(latencyMs);
    await this.options.faults.waitIfHeld();
    this.respond(request, description, fault, req, res);
  }

  private describe(request: SimRequest): CallDescription {
    try {
      return this.options.handler.describe(request);
    } catch {
      return EMPTY_DESCRIPTION;
    }
  }

  private respond(
    request: SimRequest,
    description: CallDescription,
    injected: InjectedFault | undefined,
    req: IncomingMessage,
    res: ServerResponse,
  ): void {
    const fault = injected?.kind;
    const record = (code: string, httpStatus: number, requestId: string): void => {
      const call: SimulatorCall = { vendor: this.options.vendor, ...description, code, httpStatus, requestId, time: this.options.now() };
      if (fault !== undefined) call.fault = fault;
      this.calls.push(call);
    };
    const retryAfter = this.options.faults.retryAfterSeconds;
    const retryAfterHeader: Record<string, string> = retryAfter === undefined ? {} : { 'Retry-After': String(retryAfter) };
    switch (fault) {
      case 'reset':
        record('Fault.Reset', 0, '');
        req.socket.resetAndDestroy();
        return;
      case 'timeout':
        record('Fault.Timeout', 0, '');
        return; // never answered; close() destroys the socket
      case 'malformedJson':
        record('Fault.MalformedJson', 200, '');
        res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"Response":{"RequestId":"');
        return;
      case 'serverError':
        record('HTTP.503', 503, '');
        res.writeHead(503, { 'Content-Type': 'text/html', ...retryAfterHeader }).end('<html>503 Service Unavailable</html>');
        return;
      case 'tooManyRequests':
        record('HTTP.429', 429, '');
        res.writeHead(429, { 'Content-Type': 'text/html', ...retryAfterHeader }).end('<html>429 Too Many Requests</html>');
        return;
      case 'vendorError':
        this.answer(request, { errorCode: injected?.errorCode ?? '' }, retryAfter, record, res);
        return;
      default:
        this.answer(request, fault, retryAfter, record, res);
    }
  }

  private answer(
    request: SimRequest,
    fault: VendorFault | undefined,
    retryAfter: number | undefined,
    record: (code: string, httpStatus: number, requestId: string) => void,
    res: ServerResponse,
  ): void {
    let reply: VendorReply;
    try {
      reply = this.options.handler.answer(request, fault, retryAfter);
    } catch {
      record('Simulator.Error', 500, '');
      res.writeHead(500, { 'Content-Type': 'text/plain' }).end('simulator error');
      return;
    }
    record(reply.code, reply.status, reply.requestId);
    res.writeHead(reply.status, { 'Content-Type': 'application/json', ...reply.headers }).end(JSON.stringify(reply.body));
  }
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw new Error('request body too large');
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

/** The single value of a header, as the vendor gateways read them. */
export function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

export function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

/** Constant-time comparison of two signatures. */
export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
