// The VendorClient contract, run against each vendor's simulator over real HTTP: success, one call
// per batch, every documented error code (expected outcomes from documented-codes.ts, transcribed
// from the vendors' docs, not from the production tables), every transport failure class,
// timeouts, Retry-After and the throttled mark, rate limits under load, and secrets never leaking.

import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { VendorName } from '../../src/api/types.ts';
import { VENDOR_RULES } from '../../src/api/vendor-rules.ts';
import { startChatSimulator, startTrtcSimulator, startVolcengineSimulator, type VendorSimulator } from '../../src/sandbox/index.ts';
import type { VendorRuntime } from '../../src/vendors/runtime.ts';
import type { UserResult } from '../../src/api/results.ts';
import type { ProviderConfig } from '../../src/vendors/types.ts';
import { createVendorClient } from '../../src/vendors/factory.ts';
import {
  ALL_VENDORS,
  capturingRuntime,
  CHAT_ACCOUNT,
  findLeaks,
  SELF_SIGNED,
  startFixture,
  TRTC_ACCOUNT,
  users,
  VOLC_ACCOUNT,
  type Capture,
  type VendorFixture,
} from './helpers.ts';
import { DOCUMENTED, documentedRows } from './documented-codes.ts';

/** High caps so throttle tests (which halve a bucket for 10 s) never slow the next test. */
const FAST = { capOverrides: { tencentTRTC: 10_000, tencentChat: 10_000, volcengineRTC: 10_000 } };

function request(roomId: string, userIds: readonly string[]) {
  return { roomId, roomIdType: 'String' as const, userIds, reason: 'spam wave' };
}

for (const vendor of ALL_VENDORS) {
  describe(`VendorClient contract: ${vendor}`, function () {
    let fx: VendorFixture;
    let runtime: VendorRuntime;
    let capture: Capture;
    let roomCounter = 0;

    /** A fresh room holding `members`. */
    function room(members: readonly string[]): string {
      roomCounter += 1;
      const roomId = `room-${roomCounter}`;
      fx.simulator.addMembers(roomId, members);
      return roomId;
    }

    async function removeOne(runtimeToUse: VendorRuntime = runtime, config?: Partial<ProviderConfig>): Promise<UserResult> {
      const roomId = room(['alice', 'bob']);
      const [result] = await fx.client(runtimeToUse, config).removeUsers(request(roomId, ['alice']));
      assert.ok(result);
      return result;
    }

    before(async () => {
      fx = await startFixture(vendor);
    });
    after(async () => {
      await fx.simulator.close();
    });
    beforeEach(() => {
      ({ runtime, capture } = capturingRuntime(FAST));
      fx.simulator.faults.clear();
      fx.simulator.clearCalls();
    });
    afterEach(async () => {
      await runtime.close();
    });

    describe('success and batching', () => {
      it('removes members and records each RequestId', async () => {
        const removed = ['alice', 'bob'].slice(0, fx.maxUsersPerCall);
        const roomId = room(['alice', 'bob', 'carol']);
        const results = await fx.client(runtime).removeUsers(request(roomId, removed));
        assert.deepEqual(results.map((r) => [r.userId, r.outcome, r.code]), removed.map((user) => [user, 'Removed', '']));
        const requestIds = new Set(fx.simulator.calls.map((c) => c.requestId));
        for (const result of results) assert.ok(requestIds.has(result.requestId), 'RequestId comes from the vendor answer');
        assert.deepEqual(fx.simulator.members(roomId), ['alice', 'bob', 'carol'].filter((user) => !removed.includes(user)));
        assert.equal(capture.calls.length, fx.simulator.calls.length);
      });

      it(`sends a full batch of ${VENDOR_RULES[vendor].usersPerCall} users (the vendor's per-call size) as exactly one call`, async () => {
        assert.equal(fx.client(runtime).maxUsersPerCall, VENDOR_RULES[vendor].usersPerCall);
        const members = users('u', VENDOR_RULES[vendor].usersPerCall);
        const roomId = room(members);
        const results = await fx.client(runtime).removeUsers(request(roomId, members));
        assert.equal(fx.simulator.calls.length, 1);
        assert.deepEqual(fx.simulator.calls[0]?.userIds, members);
        assert.ok(results.every((r) => r.outcome === 'Removed'));
        assert.deepEqual(fx.simulator.members(roomId), []);
      });

      it('refuses more users than one call takes, calling nobody: batching is the caller\'s (planRemovals)', async () => {
        const members = users('over', VENDOR_RULES[vendor].usersPerCall + 1);
        const roomId = room(members);
        await assert.rejects(fx.client(runtime).removeUsers(request(roomId, members)), RangeError);
        assert.equal(fx.simulator.calls.length, 0);
        assert.equal(fx.simulator.members(roomId).length, members.length);
      });

      it('returns results in request order and sends each user once', async () => {
        const asked = ['c', 'a', 'b'].slice(0, fx.maxUsersPerCall);
        const roomId = room(['a', 'b', 'c']);
        const results = await fx.client(runtime).removeUsers(request(roomId, asked));
        assert.deepEqual(results.map((r) => r.userId), asked);
        assert.equal(fx.simulator.calls.flatMap((c) => c.userIds).length, asked.length);
      });

      it('answers an empty user list without calling the vendor', async () => {
        assert.deepEqual(await fx.client(runtime).removeUsers(request('any', [])), []);
        assert.equal(fx.simulator.calls.length, 0);
      });
    });

    describe('error-code table: each documented code', () => {
      for (const [code, rule] of documentedRows(vendor)) {
        const expected = rule.resign === true ? 'Removed after one re-signed retry' : rule.outcome;
        it(`${code} -> ${expected}`, async () => {
          fx.simulator.faults.nextError(code);
          const result = await removeOne();
          if (rule.resign === true) {
            assert.equal(result.outcome, 'Removed');
            assert.equal(fx.simulator.calls.length, 2, 're-signed and retried once');
            return;
          }
          assert.equal(result.outcome, rule.outcome);
          assert.equal(result.code, code);
          assert.notEqual(result.requestId, '', 'the vendor RequestId is kept on errors');
          assert.equal(fx.simulator.calls.length, 1, 'no retries inside the client');
          assert.equal(capture.throttled.length, rule.throttle === true ? 1 : 0, rule.throttle === true ? 'a rate limit slows the bucket' : 'not a rate limit');
          if (rule.minRetryAfterMs !== undefined) assert.ok((result.retryAfterMs ?? 0) >= rule.minRetryAfterMs);
        });
        if (rule.resign === true) {
          it(`${code} twice -> ${rule.outcome}`, async () => {
            fx.simulator.faults.nextError(code, 2);
            const result = await removeOne();
            assert.equal(result.outcome, rule.outcome);
            assert.equal(result.code, code);
            assert.equal(fx.simulator.calls.length, 2);
          });
        }
      }
    });

    describe('error-code table: families and the default', () => {
      for (const { prefix, expected: rule } of DOCUMENTED[vendor].families) {
        const code = `${prefix}UndocumentedVariant`;
        it(`${code} -> ${rule.outcome} (family ${prefix}*)`, async () => {
          fx.simulator.faults.nextError(code);
          const result = await removeOne();
          assert.equal(result.outcome, rule.outcome);
          assert.equal(capture.throttled.length, rule.throttle === true ? 1 : 0, rule.throttle === true ? 'a rate limit slows the bucket' : 'not a rate limit');
        });
      }
      const fallback = DOCUMENTED[vendor].fallback;
      it(`an unknown code -> ${fallback.outcome} (conservative default)`, async () => {
        const code = vendor === 'tencentChat' ? '99999' : 'SomethingNew.NeverDocumented';
        fx.simulator.faults.nextError(code);
        const result = await removeOne();
        assert.equal(result.outcome, fallback.outcome);
        assert.equal(result.code, code);
      });
    });

    describe('transport failures', () => {
      const cases = [
        { fault: 'reset', code: 'Transport.ConnectionReset', outcome: 'Retryable' },
        { fault: 'malformedJson', code: 'Transport.MalformedResponse', outcome: 'Retryable' },
        { fault: 'serverError', code: 'HTTP.503', outcome: 'Retryable' },
        { fault: 'tooManyRequests', code: 'HTTP.429', outcome: 'Retryable' },
      ] as const;
      for (const c of cases) {
        it(`${c.fault} -> ${c.code} (${c.outcome})`, async () => {
          fx.simulator.faults.next(c.fault);
          const result = await removeOne();
          assert.equal(result.code, c.code);
          assert.equal(result.outcome, c.outcome);
          assert.equal(result.requestId, '');
        });
      }

      it('a request never answered -> Transport.Timeout (headers timeout aborts it)', async () => {
        const { runtime: quick } = capturingRuntime({ ...FAST, timeouts: { headersMs: 300, totalMs: 5_000 } });
        fx.simulator.faults.next('timeout');
        try {
          const result = await removeOne(quick);
          assert.equal(result.code, 'Transport.Timeout');
          assert.equal(result.outcome, 'Retryable');
          assert.equal(fx.simulator.calls[0]?.code, 'Fault.Timeout');
        } finally {
          await quick.close();
        }
      });

      it('a slow answer past the overall deadline -> Transport.Timeout', async () => {
        const { runtime: quick } = capturingRuntime({ ...FAST, timeouts: { totalMs: 300 } });
        fx.simulator.faults.set({ latencyMs: 1_000 });
        try {
          const result = await removeOne(quick);
          assert.equal(result.code, 'Transport.Timeout');
          assert.equal(result.outcome, 'Retryable');
        } finally {
          await quick.close();
        }
      });

      it('an unresolvable host -> Transport.Dns (Retryable)', async () => {
        const result = await removeOne(runtime, { endpoint: 'http://nonexistent.invalid' });
        assert.equal(result.code, 'Transport.Dns');
        assert.equal(result.outcome, 'Retryable');
      });

      it('a closed port -> Transport.ConnectionRefused (Retryable)', async () => {
        const result = await removeOne(runtime, { endpoint: `http://127.0.0.1:${await closedPort()}` });
        assert.equal(result.code, 'Transport.ConnectionRefused');
        assert.equal(result.outcome, 'Retryable');
      });

      it('a self-signed certificate -> Transport.Tls (Terminal); verification is never disabled', async () => {
        const https = await startHttpsTwin(vendor);
        try {
          const result = await removeOne(runtime, { endpoint: https.url });
          assert.equal(result.code, 'Transport.Tls');
          assert.equal(result.outcome, 'Terminal');
          assert.equal(https.calls.length, 0);
          // Trusting that certificate explicitly (as a sandbox would) makes the same call succeed.
          const { runtime: trusting } = capturingRuntime({ ...FAST, extraCaPem: SELF_SIGNED.cert });
          try {
            https.addMembers('tls-room', ['alice']);
            const [ok] = await fx.client(trusting, { endpoint: https.url }).removeUsers(request('tls-room', ['alice']));
            assert.equal(ok?.outcome, 'Removed');
          } finally {
            await trusting.close();
          }
        } finally {
          await https.close();
        }
      });
    });

    describe('Retry-After', () => {
      it('is reported on a 503', async () => {
        fx.simulator.faults.set({ retryAfterSeconds: 3 });
        fx.simulator.faults.next('serverError');
        const result = await removeOne();
        assert.equal(result.outcome, 'Retryable');
        assert.equal(result.retryAfterMs, 3000);
      });

      it("is reported on the vendor's rate-limit answer, which also slows the bucket", async () => {
        fx.simulator.faults.set({ retryAfterSeconds: 2 });
        fx.simulator.faults.next('rateLimit');
        const result = await removeOne();
        assert.equal(result.outcome, 'Retryable');
        assert.equal(result.code, fx.codes.rateLimit);
        assert.equal(result.retryAfterMs, 2000);
        assert.equal(result.throttled, true, 'the result says so: nothing above the boundary reads the code');
        assert.equal(capture.throttled.length, 1);
      });

      it('marks a rate-limit answer throttled even without Retry-After, and an internal error not', async () => {
        fx.simulator.faults.next('rateLimit');
        const limited = await removeOne();
        assert.equal(limited.outcome, 'Retryable');
        assert.equal(limited.throttled, true);
        assert.equal(limited.retryAfterMs, undefined);
        fx.simulator.faults.next('internalError');
        const internal = await removeOne();
        assert.equal(internal.outcome, 'Retryable');
        assert.equal(internal.throttled, undefined);
      });
    });

    describe('secrets', () => {
      it('never appear in results, errors, observer records or logs, on any path', async () => {
        const outputs: unknown[] = [];
        const run = async (config?: Partial<ProviderConfig>): Promise<void> => {
          const roomId = room(['alice', 'bob']);
          try {
            outputs.push(await fx.client(runtime, config).removeUsers(request(roomId, ['alice', 'bob'].slice(0, fx.maxUsersPerCall))));
          } catch (error) {
            outputs.push(error);
          }
        };
        await run(); // success
        for (const fault of ['reset', 'malformedJson', 'serverError', 'rateLimit', 'authExpired', 'internalError'] as const) {
          fx.simulator.faults.next(fault, 2);
          await run();
        }
        await run(wrongCredentials(fx)); // auth error: wrong key
        await run(withSessionToken(fx)); // auth error: a token the simulator does not expect
        await run({ endpoint: 'http://nonexistent.invalid' }); // DNS
        await run({ region: 'atlantis-1' }); // config error
        const secrets = [...fx.secrets, 'session-TOKEN-do-not-leak', 'wrong-KEY-do-not-leak'];
        assert.deepEqual(findLeaks(secrets, [...outputs, capture.calls, capture.logs]), []);
        const text = JSON.stringify([outputs, capture.calls, capture.logs]);
        assert.doesNotMatch(text, /Signature=[0-9a-f]{64}/, 'no Authorization header value');
        assert.doesNotMatch(text, /eJ[0-9A-Za-z*_-]{40,}/, 'no UserSig');
        assert.doesNotMatch(text, /usersig=(?!\[REDACTED\])/i, 'no UserSig in a URL');
        assert.ok(capture.logs.length > 0, 'the logger was exercised');
      });
    });

    describe('rate limits under load', function () {
      this.timeout(60_000);
      it('waitingForRateLimit() is true while calls queue for a token, false once all are sent', async () => {
        const { runtime: slow } = capturingRuntime({ capOverrides: { [vendor]: 5 } });
        try {
          const members = users('queued', 8);
          const roomId = room(members);
          const client = fx.client(slow);
          assert.equal(client.waitingForRateLimit(), false);
          const all = Promise.all(members.map((user) => client.removeUsers(request(roomId, [user]))));
          await new Promise((r) => setTimeout(r, 50));
          assert.equal(client.waitingForRateLimit(), true, '8 calls against 5 tokens a second');
          assert.equal(fx.client(slow).waitingForRateLimit(), true, 'clients of the same provider share its queue');
          const otherProvider = createVendorClient(fx.config, slow, { quotaOwner: 'RoomProvider/other/provider' });
          assert.equal(otherProvider.waitingForRateLimit(), false, "another provider's client of the account has nothing queued");
          await all;
          assert.equal(client.waitingForRateLimit(), false);
        } finally {
          await slow.close();
        }
      });

      // Chat at its documented 200/s (5 s); the others with the limiter and the simulator both at
      // 500/s, so the test stays short while exercising the same pacing.
      const cap = vendor === 'tencentChat' ? 200 : 500;
      it(`1,000 concurrent removal requests never exceed the simulator's cap of ${cap}/s`, async () => {
        const loaded = await startFixture(vendor, { requestsPerSecond: cap });
        const overrides = vendor === 'tencentChat' ? {} : { capOverrides: { [vendor]: cap } };
        const { runtime: paced } = capturingRuntime(overrides);
        try {
          const members = users('load', 1000);
          loaded.simulator.addMembers('load-room', members);
          const client = loaded.client(paced);
          const results = await Promise.all(members.map((user) => client.removeUsers(request('load-room', [user]))));
          assert.equal(loaded.simulator.rateLimitRejections, 0);
          assert.deepEqual(results.flat().filter((r) => r.outcome !== "Removed").slice(0, 3), []);
          assert.equal(loaded.simulator.calls.length, 1000);
          // Unpaced, all 1,000 would land within a second; the margin absorbs event-loop stalls.
          assert.ok(maxInAnySecond(loaded.simulator) <= Math.ceil(cap * 1.5), 'paced, not bursty');
        } finally {
          await paced.close();
          await loaded.simulator.close();
        }
      });
    });
  });
}

function wrongCredentials(fx: VendorFixture): Partial<ProviderConfig> {
  switch (fx.vendor) {
    case 'tencentTRTC':
      return { credentials: { secretId: TRTC_ACCOUNT.secretId, secretKey: 'wrong-KEY-do-not-leak' } } as Partial<ProviderConfig>;
    case 'tencentChat':
      return { credentials: { secretKey: 'wrong-KEY-do-not-leak' } } as Partial<ProviderConfig>;
    case 'volcengineRTC':
      return { credentials: { accessKeyId: VOLC_ACCOUNT.accessKeyId, secretAccessKey: 'wrong-KEY-do-not-leak' } } as Partial<ProviderConfig>;
  }
}

function withSessionToken(fx: VendorFixture): Partial<ProviderConfig> {
  switch (fx.vendor) {
    case 'tencentTRTC':
      return { credentials: { ...TRTC_ACCOUNT, token: 'session-TOKEN-do-not-leak' } } as Partial<ProviderConfig>;
    case 'tencentChat':
      return { credentials: { secretKey: CHAT_ACCOUNT.secretKey } } as Partial<ProviderConfig>;
    case 'volcengineRTC':
      return {
        credentials: { accessKeyId: VOLC_ACCOUNT.accessKeyId, secretAccessKey: VOLC_ACCOUNT.secretAccessKey, sessionToken: 'session-TOKEN-do-not-leak' },
      } as Partial<ProviderConfig>;
  }
}

async function startHttpsTwin(vendor: VendorName): Promise<VendorSimulator> {
  const common = { requestsPerSecond: Infinity, tls: SELF_SIGNED };
  switch (vendor) {
    case 'tencentTRTC':
      return startTrtcSimulator({ accounts: [TRTC_ACCOUNT], ...common });
    case 'tencentChat':
      return startChatSimulator({ accounts: [CHAT_ACCOUNT], ...common });
    case 'volcengineRTC':
      return startVolcengineSimulator({ accounts: [VOLC_ACCOUNT], ...common });
  }
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function maxInAnySecond(simulator: VendorSimulator): number {
  const times = simulator.calls.map((c) => c.time).sort((a, b) => a - b);
  let max = 0;
  let start = 0;
  for (let end = 0; end < times.length; end += 1) {
    while ((times[end] as number) - (times[start] as number) >= 1000) start += 1;
    max = Math.max(max, end - start + 1);
  }
  return max;
}
