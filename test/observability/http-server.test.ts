import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import {
  type HealthCheck,
  healthRoutes,
  metricsRoute,
  parseBindAddress,
  type RunningServer,
  startHttpServer,
} from '../../src/observability/http-server.ts';
import { createMetrics } from '../../src/observability/metrics.ts';

describe('parseBindAddress', () => {
  it('parses controller-runtime bind addresses', () => {
    assert.deepEqual(parseBindAddress(':8080'), { host: undefined, port: 8080 });
    assert.deepEqual(parseBindAddress('127.0.0.1:0'), { host: '127.0.0.1', port: 0 });
    assert.deepEqual(parseBindAddress('0.0.0.0:8081'), { host: '0.0.0.0', port: 8081 });
    assert.deepEqual(parseBindAddress('localhost:9100'), { host: 'localhost', port: 9100 });
    assert.deepEqual(parseBindAddress('[::1]:8443'), { host: '::1', port: 8443 });
    assert.deepEqual(parseBindAddress('[::]:80'), { host: '::', port: 80 });
  });

  it('treats "0" (and an empty value) as disabled', () => {
    assert.equal(parseBindAddress('0'), undefined);
    assert.equal(parseBindAddress(''), undefined);
  });

  for (const bad of ['8080', ':', ':http', ':65536', '::1:8080', 'host:80:90', ':123456', '[::1]', '1.2.3.4']) {
    it(`rejects ${JSON.stringify(bad)}`, () => {
      assert.throws(() => parseBindAddress(bad), /invalid bind address/);
    });
  }
});

describe('startHttpServer', () => {
  const servers: RunningServer[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });

  async function serve(routes: Parameters<typeof startHttpServer>[0]['routes']): Promise<RunningServer> {
    const server = await startHttpServer({ address: '127.0.0.1:0', routes });
    assert.ok(server);
    servers.push(server);
    return server;
  }

  it('returns undefined for a disabled address', async () => {
    assert.equal(await startHttpServer({ address: '0', routes: {} }), undefined);
  });

  it('serves routes on an ephemeral port, 404s other paths and 405s other methods', async () => {
    const server = await serve({ '/hello': async (query) => ({ status: 200, body: `hi ${query.get('name') ?? ''}` }) });
    assert.ok(server.port > 0);
    assert.equal(server.url, `http://127.0.0.1:${server.port}`);
    const hello = await fetch(`${server.url}/hello?name=x`);
    assert.equal(hello.status, 200);
    assert.equal(await hello.text(), 'hi x');
    assert.equal(hello.headers.get('content-type'), 'text/plain; charset=utf-8');
    assert.equal((await fetch(`${server.url}/nope`)).status, 404);
    assert.equal((await fetch(`${server.url}/__proto__`)).status, 404);
    const post = await fetch(`${server.url}/hello`, { method: 'POST' });
    assert.equal(post.status, 405);
    assert.equal(post.headers.get('allow'), 'GET, HEAD');
    const head = await fetch(`${server.url}/hello`, { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(await head.text(), '');
  });

  it('answers 500 without details when a route fails, and keeps serving', async () => {
    const server = await serve({
      '/boom': async () => {
        throw new Error('secret detail');
      },
      '/ok': async () => ({ status: 200, body: 'fine' }),
    });
    const boom = await fetch(`${server.url}/boom`);
    assert.equal(boom.status, 500);
    assert.ok(!(await boom.text()).includes('secret detail'));
    assert.equal((await fetch(`${server.url}/ok`)).status, 200);
  });

  it('listens on all interfaces for ":port"', async () => {
    const port = await freePort();
    const server = await startHttpServer({ address: `:${port}`, routes: { '/x': async () => ({ status: 204, body: '' }) } });
    assert.ok(server);
    servers.push(server);
    assert.equal(server.port, port);
    assert.equal((await fetch(`http://127.0.0.1:${port}/x`)).status, 204);
  });

  it('rejects when the port is taken', async () => {
    const first = await serve({});
    await assert.rejects(startHttpServer({ address: `127.0.0.1:${first.port}`, routes: {} }), /EADDRINUSE/);
  });

  it('close() resolves and frees the port, also with an idle keep-alive connection', async () => {
    const server = await startHttpServer({ address: '127.0.0.1:0', routes: { '/x': async () => ({ status: 200, body: 'x' }) } });
    assert.ok(server);
    await (await fetch(`${server.url}/x`)).text(); // leaves a keep-alive socket open
    await server.close();
    await assert.rejects(fetch(`${server.url}/x`));
  });
});

describe('healthRoutes', () => {
  const servers: RunningServer[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });

  async function serveHealth(ready: Record<string, HealthCheck>, live: Record<string, HealthCheck> = { ping: () => true }) {
    const server = await startHttpServer({ address: '127.0.0.1:0', routes: healthRoutes({ live, ready }) });
    assert.ok(server);
    servers.push(server);
    const get = async (path: string): Promise<{ status: number; body: string }> => {
      const response = await fetch(`${server.url}${path}`);
      return { status: response.status, body: await response.text() };
    };
    return get;
  }

  it('readyz turns 500 naming the failing check, and back to 200', async () => {
    let watchUp = true;
    const get = await serveHealth({ informers: () => true, 'watch-roombans': () => (watchUp ? true : 'watch down, reconnecting') });
    assert.deepEqual(await get('/readyz'), { status: 200, body: 'ok' });
    watchUp = false;
    assert.deepEqual(await get('/readyz'), {
      status: 500,
      body: '[+]informers ok\n[-]watch-roombans failed: watch down, reconnecting\nreadyz check failed\n',
    });
    assert.deepEqual(await get('/healthz'), { status: 200, body: 'ok' }, 'liveness is not readiness');
    watchUp = true;
    assert.deepEqual(await get('/readyz'), { status: 200, body: 'ok' });
  });

  it('?verbose lists every check, like kube-apiserver', async () => {
    const get = await serveHealth({ informers: () => true, leader: async () => true });
    assert.deepEqual(await get('/readyz?verbose'), { status: 200, body: '[+]informers ok\n[+]leader ok\nreadyz check passed\n' });
    assert.deepEqual(await get('/healthz?verbose=1'), { status: 200, body: '[+]ping ok\nhealthz check passed\n' });
  });

  it('reports false, thrown and rejected checks as failures', async () => {
    const get = await serveHealth({
      no: () => false,
      throws: () => {
        throw new Error('cache corrupt');
      },
      rejects: async () => Promise.reject(new Error('timeout')),
    });
    const answer = await get('/readyz');
    assert.equal(answer.status, 500);
    assert.equal(answer.body, '[-]no failed: check failed\n[-]throws failed: cache corrupt\n[-]rejects failed: timeout\nreadyz check failed\n');
  });

  it('?exclude skips a check, and /readyz/<name> answers for one check', async () => {
    const get = await serveHealth({ good: () => true, bad: () => 'broken' });
    assert.deepEqual(await get('/readyz?exclude=bad'), { status: 200, body: 'ok' });
    assert.deepEqual(await get('/readyz?exclude=bad&verbose'), { status: 200, body: '[+]good ok\n[+]bad excluded: ok\nreadyz check passed\n' });
    assert.deepEqual(await get('/readyz/good'), { status: 200, body: 'ok' });
    assert.deepEqual(await get('/readyz/bad'), { status: 500, body: '[-]bad failed: broken\n' });
    assert.equal((await get('/readyz/unknown')).status, 404);
  });

  it('counts checks added to the record after the routes were made', async () => {
    const ready: Record<string, HealthCheck> = {};
    const get = await serveHealth(ready);
    assert.equal((await get('/readyz')).status, 200);
    ready['late'] = () => 'not synced';
    assert.equal((await get('/readyz')).status, 500);
  });
});

describe('metricsRoute', () => {
  it('serves the registry in the Prometheus text format with its content type', async () => {
    const metrics = createMetrics();
    metrics.leader.set(1);
    const server = await startHttpServer({ address: '127.0.0.1:0', routes: { '/metrics': metricsRoute(metrics.registry) } });
    assert.ok(server);
    try {
      const response = await fetch(`${server.url}/metrics`);
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('content-type'), 'text/plain; version=0.0.4; charset=utf-8');
      assert.match(await response.text(), /^roomban_leader 1$/m);
    } finally {
      await server.close();
    }
  });
});

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const address = probe.address();
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  assert.ok(address && typeof address === 'object');
  return address.port;
}
