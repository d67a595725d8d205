// The BanClient contract (docs/vendors.md#bans), run against the Chat and Volcengine simulators over
// real HTTP: bans that keep users out until they expire on the simulator's clock, lifts, observation
// (held/lifted/unknown), drift, a cap per action, per-call sizes, faults and every documented
// error code for the new actions (expected outcomes from documented-codes.ts).

import assert from 'node:assert/strict';
import type { UserResult } from '../../src/api/results.ts';
import type { VendorName } from '../../src/api/types.ts';
import { VENDOR_RULES, type BanRules } from '../../src/api/vendor-rules.ts';
import { startChatSimulator, startVolcengineSimulator, type BanningSimulator } from '../../src/sandbox/index.ts';
import { createVendorRuntime, type VendorRuntime } from '../../src/vendors/runtime.ts';
import type { BanClient, ProviderConfig } from '../../src/vendors/types.ts';
import { documentedRows } from './documented-codes.ts';
import { capturingRuntime, CHAT_ACCOUNT, startFixture, users, VOLC_ACCOUNT, type Capture, type VendorFixture } from './helpers.ts';

/** High caps so throttle answers (which halve a bucket for 10 s) never slow the next test. */
const FAST = { capOverrides: { tencentTRTC: 10_000, tencentChat: 10_000, volcengineRTC: 10_000 } };
const BAN_VENDORS = ['tencentChat', 'volcengineRTC'] as const;
const DURATION = 60;

function banRules(vendor: VendorName): BanRules {
  const rules = VENDOR_RULES[vendor].ban;
  assert.ok(rules);
  return rules;
}

function bansOf(fx: VendorFixture, runtime: VendorRuntime, overrides: Partial<ProviderConfig> = {}): BanClient {
  const bans = fx.client(runtime, overrides).bans;
  assert.ok(bans, `${fx.vendor} has a BanClient`);
  return bans;
}

for (const vendor of BAN_VENDORS) {
  describe(`BanClient contract: ${vendor}`, function () {
    const rules = banRules(vendor);
    let fx: VendorFixture;
    let sim: BanningSimulator;
    let runtime: VendorRuntime;
    let capture: Capture;
    let clockOffsetMs = 0;
    let roomCounter = 0;
    const simNow = () => Date.now() + clockOffsetMs;

    function room(members: readonly string[]): string {
      roomCounter += 1;
      const roomId = `ban-room-${roomCounter}`;
      sim.addMembers(roomId, members);
      return roomId;
    }

    const ban = (roomId: string, userIds: readonly string[], durationSeconds = DURATION, client?: BanClient) =>
      (client ?? bansOf(fx, runtime)).banUsers({ roomId, userIds, durationSeconds, reason: 'spam wave' });
    const lift = (roomId: string, userIds: readonly string[]) => bansOf(fx, runtime).liftBans({ roomId, userIds });
    const observe = (roomId: string, userIds: readonly string[]) => bansOf(fx, runtime).observeBans({ roomId, userIds });
    const one = async (results: Promise<UserResult[]>): Promise<UserResult> => {
      const [result] = await results;
      assert.ok(result);
      return result;
    };

    before(async () => {
      fx = await startFixture(vendor, { now: simNow });
      sim = fx.simulator as BanningSimulator;
    });
    after(async () => fx.simulator.close());
    beforeEach(() => {
      ({ runtime, capture } = capturingRuntime(FAST));
      clockOffsetMs = 0;
      sim.faults.clear();
      sim.clearCalls();
    });
    afterEach(async () => runtime.close());

    describe('ban, expiry, lift', () => {
      it('bans: Removed with the RequestIds the simulator logged, the ban ends durationSeconds from now, join is refused', async () => {
        const roomId = room(['alice', 'bob', 'carol']);
        const asked = ['alice', 'bob'].slice(0, rules.usersPerBan);
        const before = simNow();
        const results = await ban(roomId, asked);
        assert.deepEqual(results.map((r) => [r.userId, r.outcome, r.code]), asked.map((u) => [u, 'Removed', '']));
        const logged = new Set(sim.calls.filter((c) => c.code === '').map((c) => c.requestId));
        for (const result of results) assert.ok(logged.has(result.requestId), 'the RequestId comes from the simulator log');
        assert.equal(capture.calls.length, sim.calls.length);
        const bans = sim.bans(roomId);
        assert.deepEqual(bans.map((b) => b.userId), asked);
        for (const entry of bans) {
          assert.ok(entry.bannedUntilMs >= before + DURATION * 1000 && entry.bannedUntilMs <= simNow() + DURATION * 1000, 'ends durationSeconds from the call');
        }
        assert.ok(!sim.members(roomId).includes('alice'), 'banning removes the member');
        assert.deepEqual(sim.joinUser(roomId, 'alice'), { joined: false, bannedUntilMs: bans[0]?.bannedUntilMs });
      });

      it('expiry on the simulator clock lets the user join again, with no call', async () => {
        const roomId = room(['alice', 'bob']);
        await ban(roomId, ['alice']);
        assert.equal(sim.joinUser(roomId, 'alice').joined, false);
        clockOffsetMs = (DURATION + 1) * 1000;
        assert.deepEqual(sim.bans(roomId), []);
        assert.deepEqual(sim.joinUser(roomId, 'alice'), { joined: true });
        assert.ok(sim.members(roomId).includes('alice'));
      });

      it('bans a user who is not in the room (a pre-ban): they cannot join', async () => {
        const roomId = room(['bob']);
        assert.equal((await one(ban(roomId, ['mallory']))).outcome, 'Removed');
        assert.equal(sim.joinUser(roomId, 'mallory').joined, false);
      });

      it('lifts: Removed, the ban is gone and the user can join', async () => {
        const roomId = room(['alice', 'bob']);
        await ban(roomId, ['alice']);
        const lifted = await one(lift(roomId, ['alice']));
        assert.deepEqual([lifted.outcome, lifted.code], ['Removed', '']);
        assert.ok(sim.calls.some((c) => c.requestId === lifted.requestId && c.action === rules.actions.lift.name));
        assert.deepEqual(sim.bans(roomId), []);
        assert.deepEqual(sim.joinUser(roomId, 'alice'), { joined: true });
      });

      it('lifting a user who is not banned is not an error', async () => {
        const roomId = room(['alice', 'bob']);
        const result = await one(lift(roomId, ['bob']));
        assert.ok(['Removed', 'AlreadyAbsent'].includes(result.outcome), result.outcome);
      });

      it('a ban of a banned user gives the new duration from now', async () => {
        const roomId = room(['alice', 'bob']);
        await ban(roomId, ['alice'], 30);
        clockOffsetMs = 20_000;
        assert.equal((await one(ban(roomId, ['alice'], 30))).outcome, 'Removed');
        const [entry] = sim.bans(roomId);
        assert.ok(entry && entry.bannedUntilMs >= simNow() + 29_000, 'the ban runs 30 s from the second call');
      });
    });

    describe('observation', () => {
      it('a banned user is held, one whose ban was lifted is lifted', async () => {
        const roomId = room(['alice', 'bob', 'carol']);
        await ban(roomId, ['alice']);
        await ban(roomId, ['carol']);
        await lift(roomId, ['carol']);
        sim.joinUser(roomId, 'carol');
        const observed = await observe(roomId, ['alice', 'carol']);
        assert.deepEqual(observed.map((o) => [o.userId, o.state]), [['alice', 'held'], ['carol', 'lifted']]);
        const logged = sim.calls.filter((c) => c.action === rules.actions.observe.name).map((c) => c.requestId);
        assert.ok(observed.every((o) => logged.includes(o.requestId)));
        if (vendor === 'tencentChat') {
          const until = sim.bans(roomId)[0]?.bannedUntilMs ?? 0;
          assert.equal(observed[0]?.bannedUntilMs, Math.floor(until / 1000) * 1000, 'BannedUntil, in unix seconds');
        }
      });

      it('an out-of-band lift (drift) is observed as lifted', async () => {
        const roomId = room(['alice', 'bob']);
        await ban(roomId, ['alice']);
        assert.equal((await observe(roomId, ['alice']))[0]?.state, 'held');
        assert.equal(sim.liftBanOutOfBand(roomId, 'alice'), true);
        // Volcengine shows a lifted ban only as the user back in the room.
        assert.deepEqual(sim.joinUser(roomId, 'alice'), { joined: true });
        assert.equal((await observe(roomId, ['alice']))[0]?.state, 'lifted');
      });

      it('a failed observation makes every user unknown with its code, and bans nothing', async () => {
        const roomId = room(['alice', 'bob']);
        sim.faults.next('internalError');
        const observed = await observe(roomId, ['alice', 'bob'].slice(0, rules.usersPerObserve));
        assert.ok(observed.every((o) => o.state === 'unknown' && o.code !== undefined && o.code !== '' && o.requestId !== ''));
      });

      it('answers an empty list without calling', async () => {
        assert.deepEqual(await observe('any', []), []);
        assert.equal(sim.calls.length, 0);
      });
    });

    describe('per-call sizes', () => {
      it(`a full ban batch of ${rules.usersPerBan} is one call`, async () => {
        const members = users('full', rules.usersPerBan);
        const roomId = room(members);
        const results = await ban(roomId, members);
        assert.equal(sim.calls.length, 1);
        assert.ok(results.every((r) => r.outcome === 'Removed'));
        assert.equal(sim.bans(roomId).length, rules.usersPerBan);
      });

      it('throws RangeError above the ban, lift and observe sizes, calling nobody', async () => {
        const client = bansOf(fx, runtime);
        await assert.rejects(client.banUsers({ roomId: 'r', userIds: users('x', rules.usersPerBan + 1), durationSeconds: DURATION }), RangeError);
        await assert.rejects(client.liftBans({ roomId: 'r', userIds: users('x', rules.usersPerLift + 1) }), RangeError);
        await assert.rejects(client.observeBans({ roomId: 'r', userIds: users('x', rules.usersPerObserve + 1) }), RangeError);
        assert.equal(sim.calls.length, 0);
      });

      it('refuses a duration outside the vendor range without calling (0 would be a plain kick at Volcengine)', async () => {
        const roomId = room(['alice']);
        for (const seconds of [0, rules.minSeconds - 1, rules.maxSeconds + 1, 1.5]) {
          const result = await one(ban(roomId, ['alice'], seconds));
          assert.deepEqual([result.outcome, result.code], ['Terminal', 'Request.InvalidDuration']);
        }
        assert.equal(sim.calls.length, 0);
      });
    });

    describe('faults', () => {
      const cases = [
        { fault: 'internalError', throttled: undefined },
        { fault: 'rateLimit', throttled: true },
        { fault: 'serverError', throttled: undefined },
        { fault: 'reset', throttled: undefined },
      ] as const;
      for (const c of cases) {
        it(`${c.fault} -> Retryable for a ban and a lift, unknown for an observation`, async () => {
          const roomId = room(['alice', 'bob']);
          sim.faults.next(c.fault, 3);
          const banned = await one(ban(roomId, ['alice']));
          const lifted = await one(lift(roomId, ['alice']));
          const [observed] = await observe(roomId, ['alice']);
          for (const result of [banned, lifted]) {
            assert.equal(result.outcome, 'Retryable');
            assert.equal(result.throttled, c.throttled);
          }
          assert.equal(observed?.state, 'unknown');
          assert.equal(sim.calls.length, 3);
          assert.ok(sim.calls.every((call) => call.fault === c.fault));
        });
      }

      it('seeded fault probabilities apply to the ban actions too', async () => {
        const roomId = room(users('p', 10));
        sim.faults.set({ probabilities: { internalError: 1 } });
        const results = await Promise.all(users('p', 10).map((user) => one(ban(roomId, [user]))));
        assert.ok(results.every((r) => r.outcome === 'Retryable'));
        assert.deepEqual(sim.bans(roomId), []);
      });
    });

    describe('error-code table for the ban actions: each documented code', () => {
      for (const [code, rule] of documentedRows(vendor)) {
        const expected = rule.resign === true ? 'Removed after one re-signed retry' : rule.outcome;
        it(`${code}: ban -> ${expected}, lift -> ${expected}, observe -> ${rule.resign === true ? 'held' : 'unknown'}`, async () => {
          const roomId = room(['alice', 'bob']);
          const run = async (action: () => Promise<UserResult>): Promise<void> => {
            sim.clearCalls();
            capture.throttled.length = 0;
            sim.faults.nextError(code);
            const result = await action();
            if (rule.resign === true) {
              assert.equal(result.outcome, 'Removed');
              assert.equal(sim.calls.length, 2, 're-signed and retried once');
              return;
            }
            assert.equal(result.outcome, rule.outcome);
            assert.equal(result.code, code);
            assert.notEqual(result.requestId, '');
            assert.equal(sim.calls.length, 1);
            assert.equal(capture.throttled.length, rule.throttle === true ? 1 : 0);
            if (rule.minRetryAfterMs !== undefined) assert.ok((result.retryAfterMs ?? 0) >= rule.minRetryAfterMs);
          };
          await run(() => one(ban(roomId, ['alice'])));
          await run(() => one(lift(roomId, ['alice'])));
          await ban(roomId, ['alice']);
          sim.faults.nextError(code);
          const [observed] = await observe(roomId, ['alice']);
          if (rule.resign === true) assert.equal(observed?.state, 'held');
          else assert.deepEqual([observed?.state, observed?.code], ['unknown', code]);
        });
      }
    });

    describe('caps per action', function () {
      this.timeout(60_000);
      const { ban: banCap, observe: observeCap } = rules.actions;

      it(`the simulator refuses calls over each action's documented cap (${banCap.name} ${banCap.requestsPerSecond}/s, ${observeCap.name} ${observeCap.requestsPerSecond}/s), in separate buckets`, async () => {
        const frozen = Date.now();
        const capped = await startFixture(vendor, { requestsPerSecond: undefined as unknown as number, now: () => frozen });
        const cappedSim = capped.simulator as BanningSimulator;
        try {
          const members = users('cap', banCap.requestsPerSecond + 5);
          cappedSim.addMembers('cap-room', members);
          const client = capped.client(runtime).bans;
          assert.ok(client);
          const banned = await Promise.all(members.map((user) => one(client.banUsers({ roomId: 'cap-room', userIds: [user], durationSeconds: DURATION }))));
          const limited = banned.filter((r) => r.outcome === 'Retryable' && r.throttled === true).length;
          assert.equal(limited, 5, `${banCap.requestsPerSecond} of ${members.length} fit the cap`);
          assert.equal(cappedSim.rateLimitRejections, 5);
          // A room with one ban: one page per observation.
          cappedSim.addMembers('cap-other', ['one']);
          const observed = await Promise.all(Array.from({ length: observeCap.requestsPerSecond + 2 }, () => client.observeBans({ roomId: 'cap-other', userIds: ['one'] })));
          assert.equal(observed.filter(([o]) => o?.state === 'unknown').length, 2, `the observe bucket is its own: the bans did not use it up (${JSON.stringify(observed.find(([o]) => o?.state === 'unknown'))})`);
        } finally {
          await capped.simulator.close();
        }
      });

      it("the client's bucket at the documented cap keeps every action under the simulator's cap", async () => {
        const paced = await startFixture(vendor, { requestsPerSecond: undefined as unknown as number });
        const pacedSim = paced.simulator as BanningSimulator;
        const documented = createVendorRuntime({ timeouts: { totalMs: 10_000 } });
        try {
          const count = Math.round(banCap.requestsPerSecond * 1.5);
          const members = users('paced', count);
          pacedSim.addMembers('paced-room', members);
          const client = paced.client(documented).bans;
          assert.ok(client);
          const observations = Promise.all(
            Array.from({ length: Math.round(observeCap.requestsPerSecond * 1.5) }, () => client.observeBans({ roomId: 'paced-room', userIds: ['paced0'] })),
          );
          const banned = await Promise.all(members.map((user) => one(client.banUsers({ roomId: 'paced-room', userIds: [user], durationSeconds: DURATION }))));
          const observed = await observations;
          assert.equal(pacedSim.rateLimitRejections, 0);
          assert.deepEqual(banned.filter((r) => r.outcome !== 'Removed'), []);
          assert.ok(observed.every(([o]) => o?.state !== 'unknown'));
        } finally {
          await documented.close();
          await paced.simulator.close();
        }
      });

      it('queued observations never delay a ban or a lift', async () => {
        const documented = createVendorRuntime({ timeouts: { totalMs: 10_000 } });
        try {
          const roomId = room(['alice', 'bob']);
          const client = fx.client(documented).bans;
          assert.ok(client);
          // Three seconds' worth of observation tokens, queued first.
          const queued = Promise.all(Array.from({ length: observeCap.requestsPerSecond * 3 }, () => client.observeBans({ roomId, userIds: ['bob'] })));
          await new Promise((resolve) => setTimeout(resolve, 50));
          const started = Date.now();
          assert.equal((await one(client.banUsers({ roomId, userIds: ['alice'], durationSeconds: DURATION }))).outcome, 'Removed');
          assert.equal((await one(client.liftBans({ roomId, userIds: ['alice'] }))).outcome, 'Removed');
          assert.ok(Date.now() - started < 1_000, `ban and lift took ${Date.now() - started} ms behind queued observations`);
          await queued;
        } finally {
          await documented.close();
        }
      });
    });
  });
}

describe('Chat bans specifics', () => {
  let fx: VendorFixture;
  let sim: BanningSimulator;
  let runtime: VendorRuntime;

  before(async () => {
    fx = await startFixture('tencentChat');
    sim = fx.simulator as BanningSimulator;
  });
  after(async () => fx.simulator.close());
  beforeEach(() => {
    ({ runtime } = capturingRuntime(FAST));
    sim.faults.clear();
    sim.clearCalls();
  });
  afterEach(async () => runtime.close());

  it('sends the reason Chat requires (DEFAULT_REASON when none) and refuses one over 1000 bytes', async () => {
    sim.addMembers('reason-room', ['a', 'b']);
    const bans = bansOf(fx, runtime);
    const [ok] = await bans.banUsers({ roomId: 'reason-room', userIds: ['a'], durationSeconds: DURATION });
    assert.equal(ok?.outcome, 'Removed');
    const [long] = await bans.banUsers({ roomId: 'reason-room', userIds: ['b'], durationSeconds: DURATION, reason: 'x'.repeat(1001) });
    assert.deepEqual([long?.outcome, long?.code], ['Terminal', 'Request.InvalidReason']);
    assert.equal(sim.calls.length, 1);
  });

  it("banDurationUnit 'Milliseconds' sends durationSeconds * 1000", async () => {
    sim.addMembers('unit-room', ['a']);
    const before = Date.now();
    await bansOf(fx, runtime, { banDurationUnit: 'Milliseconds' } as Partial<ProviderConfig>).banUsers({ roomId: 'unit-room', userIds: ['a'], durationSeconds: 60 });
    // The simulator reads seconds, so 60000 "seconds".
    assert.ok((sim.bans('unit-room')[0]?.bannedUntilMs ?? 0) >= before + 60_000_000);
  });

  it('a batch answered absent is re-asked one user at a time (ban and lift)', async () => {
    sim.addMembers('absent-room', ['a', 'b', 'c']);
    const bans = bansOf(fx, runtime);
    sim.faults.nextError('100005');
    const banned = await bans.banUsers({ roomId: 'absent-room', userIds: ['a', 'b', 'c'], durationSeconds: DURATION });
    assert.deepEqual(banned.map((r) => r.outcome), ['Removed', 'Removed', 'Removed']);
    assert.equal(sim.calls.length, 4);
    sim.clearCalls();
    sim.faults.nextError('100004');
    const lifted = await bans.liftBans({ roomId: 'absent-room', userIds: ['a', 'b', 'c'] });
    assert.deepEqual(lifted.map((r) => r.outcome), ['Removed', 'Removed', 'Removed']);
    assert.deepEqual(sim.calls.map((c) => c.userIds.length), [3, 1, 1, 1]);
  });

  it('a lift in a room that does not exist is AlreadyAbsent (nothing to lift)', async () => {
    const [result] = await bansOf(fx, runtime).liftBans({ roomId: 'never-created', userIds: ['a'] });
    assert.deepEqual([result?.outcome, result?.code], ['AlreadyAbsent', '100004']);
  });

  for (const cursor of ['NextOffset', 'Next'] as const) {
    it(`pages get_banned_member_list to its end (the simulator answering ${cursor})`, async () => {
      const paging = await startChatSimulator({ accounts: [CHAT_ACCOUNT], requestsPerSecond: Infinity, bannedListCursor: cursor });
      try {
        const members = users('m', 250);
        paging.addMembers('paged', members);
        const bans = bansOf(fx, runtime, { endpoint: paging.url });
        for (let i = 0; i < members.length; i += 20) await bans.banUsers({ roomId: 'paged', userIds: members.slice(i, i + 20), durationSeconds: DURATION });
        await bans.liftBans({ roomId: 'paged', userIds: ['m1'] });
        paging.clearCalls();
        const observed = await bans.observeBans({ roomId: 'paged', userIds: ['m0', 'm1', 'm99', 'm249', 'stranger'] });
        assert.deepEqual(observed.map((o) => o.state), ['held', 'lifted', 'held', 'held', 'lifted']);
        assert.equal(paging.calls.length, 3, '249 bans in pages of 100');
        assert.equal(observed[0]?.requestId, paging.calls[2]?.requestId, 'the last page decided');
      } finally {
        await paging.close();
      }
    });
  }

  it('a failed page makes every user unknown, even after good pages', async () => {
    const members = users('f', 150);
    sim.addMembers('failing', members);
    const bans = bansOf(fx, runtime);
    for (let i = 0; i < members.length; i += 20) await bans.banUsers({ roomId: 'failing', userIds: members.slice(i, i + 20), durationSeconds: DURATION });
    sim.clearCalls();
    sim.faults.nextError('100001');
    const failedFirst = await bans.observeBans({ roomId: 'failing', userIds: ['f0', 'f149'] });
    assert.deepEqual(failedFirst.map((o) => [o.state, o.code]), [['unknown', '100001'], ['unknown', '100001']]);
    assert.equal(sim.calls.length, 1);
  });
});

describe('Volcengine bans specifics', () => {
  let fx: VendorFixture;
  let sim: BanningSimulator;
  let runtime: VendorRuntime;
  let clockOffsetMs = 0;

  before(async () => {
    fx = await startFixture('volcengineRTC', { now: () => Date.now() + clockOffsetMs });
    sim = fx.simulator as BanningSimulator;
  });
  after(async () => fx.simulator.close());
  beforeEach(() => {
    ({ runtime } = capturingRuntime(FAST));
    clockOffsetMs = 0;
    sim.faults.clear();
    sim.clearCalls();
  });
  afterEach(async () => runtime.close());

  it('"User has been banned" is followed by UpdateBanRoomUserRule, so the ban runs durationSeconds from now', async () => {
    sim.addMembers('again', ['a', 'b']);
    const bans = bansOf(fx, runtime);
    await bans.banUsers({ roomId: 'again', userIds: ['a'], durationSeconds: 30 });
    assert.deepEqual(sim.calls.map((c) => c.action), ['BanRoomUser']);
    clockOffsetMs = 20_000;
    sim.clearCalls();
    const [result] = await bans.banUsers({ roomId: 'again', userIds: ['a'], durationSeconds: 30 });
    assert.deepEqual(sim.calls.map((c) => [c.action, c.userIds]), [['BanRoomUser', ['a']], ['UpdateBanRoomUserRule', ['a']]]);
    assert.equal(result?.outcome, 'Removed');
    assert.equal(result?.requestId, sim.calls[1]?.requestId, 'the update decided the end');
    assert.ok((sim.bans('again')[0]?.bannedUntilMs ?? 0) >= Date.now() + clockOffsetMs + 29_000);
  });

  it('a failed follow-up update is the result (Retryable), not a silent success', async () => {
    sim.addMembers('again2', ['a', 'b']);
    const bans = bansOf(fx, runtime);
    await bans.banUsers({ roomId: 'again2', userIds: ['a'], durationSeconds: 30 });
    sim.clearCalls();
    // The ban call draws no fault and is held; the update after it then draws the internal error.
    const hold = sim.faults.holdNext();
    const pending = bans.banUsers({ roomId: 'again2', userIds: ['a'], durationSeconds: 30 });
    await hold.received;
    sim.faults.next('internalError');
    hold.release();
    const [result] = await pending;
    assert.deepEqual([result?.outcome, result?.code], ['Retryable', 'InternalError']);
    assert.deepEqual(sim.calls.map((c) => c.action), ['BanRoomUser', 'UpdateBanRoomUserRule']);
  });

  it('names RoomId on every call (never the AppId+UserId scope), with ForbiddenInterval 0 for a lift', async () => {
    sim.addMembers('scope', ['a', 'b']);
    const bans = bansOf(fx, runtime);
    await bans.banUsers({ roomId: 'scope', userIds: ['a'], durationSeconds: 30 });
    await bans.liftBans({ roomId: 'scope', userIds: ['a'] });
    await bans.observeBans({ roomId: 'scope', userIds: ['a', 'b'] });
    assert.deepEqual(sim.calls.map((c) => [c.action, c.roomId]), [['BanRoomUser', 'scope'], ['UpdateBanRoomUserRule', 'scope'], ['GetRoomUsersProperty', 'scope']]);
    assert.deepEqual(sim.bans('scope'), []);
  });

  it("observation: a user in the room is lifted, one not in it is held (there is no list of bans)", async () => {
    sim.addMembers('property', ['in']);
    const observed = await bansOf(fx, runtime).observeBans({ roomId: 'property', userIds: ['in', 'out'] });
    assert.deepEqual(observed.map((o) => [o.userId, o.state]), [['in', 'lifted'], ['out', 'held']]);
  });

  it("the simulator with repeatBan 'reapply' gives the same end (the follow-up is harmless)", async () => {
    const reapply = await startVolcengineSimulator({ accounts: [VOLC_ACCOUNT], requestsPerSecond: Infinity, repeatBan: 'reapply' });
    try {
      reapply.addMembers('r', ['a', 'b']);
      const bans = bansOf(fx, runtime, { endpoint: reapply.url });
      await bans.banUsers({ roomId: 'r', userIds: ['a'], durationSeconds: 30 });
      const [result] = await bans.banUsers({ roomId: 'r', userIds: ['a'], durationSeconds: 30 });
      assert.equal(result?.outcome, 'Removed');
      assert.ok((reapply.bans('r')[0]?.bannedUntilMs ?? 0) >= Date.now() + 29_000);
    } finally {
      await reapply.close();
    }
  });
});

describe('BanClient availability and configuration errors', () => {
  it('TRTC has none; Chat and Volcengine report their ban rules', async () => {
    const { runtime } = capturingRuntime();
    try {
      for (const vendor of ['tencentTRTC', 'tencentChat', 'volcengineRTC'] as const) {
        const fx = await startFixture(vendor);
        try {
          const bans = fx.client(runtime).bans;
          const rules = VENDOR_RULES[vendor].ban;
          if (rules === undefined) assert.equal(bans, undefined);
          else assert.deepEqual([bans?.usersPerBan, bans?.usersPerLift, bans?.usersPerObserve], [rules.usersPerBan, rules.usersPerLift, rules.usersPerObserve]);
        } finally {
          await fx.simulator.close();
        }
      }
    } finally {
      await runtime.close();
    }
  });

  it('a misconfigured provider: every ban and lift is Terminal naming the problem, observations unknown, no call', async () => {
    const { runtime } = capturingRuntime();
    try {
      for (const vendor of BAN_VENDORS) {
        const fx = await startFixture(vendor);
        try {
          const bans = bansOf(fx, runtime, { endpoint: undefined, region: 'atlantis-1' } as Partial<ProviderConfig>);
          const [banned] = await bans.banUsers({ roomId: 'r', userIds: ['a'], durationSeconds: DURATION });
          const [lifted] = await bans.liftBans({ roomId: 'r', userIds: ['a'] });
          const [observed] = await bans.observeBans({ roomId: 'r', userIds: ['a'] });
          for (const result of [banned, lifted]) {
            assert.deepEqual([result?.outcome, result?.code, result?.accountWide], ['Terminal', 'Config.UnknownRegion', true]);
            assert.match(result?.message ?? '', /atlantis-1/);
          }
          assert.deepEqual([observed?.state, observed?.code], ['unknown', 'Config.UnknownRegion']);
          assert.equal(fx.simulator.calls.length, 0);
          await assert.rejects(bans.observeBans({ roomId: 'r', userIds: users('x', bans.usersPerObserve + 1) }), RangeError);
        } finally {
          await fx.simulator.close();
        }
      }
    } finally {
      await runtime.close();
    }
  });
});

describe('runtime caps per action', () => {
  it('capFor answers the documented cap of each wire action, the removal cap without one', () => {
    const runtime = createVendorRuntime();
    try {
      for (const vendor of BAN_VENDORS) {
        for (const cap of Object.values(banRules(vendor).actions)) assert.equal(runtime.capFor(vendor, cap.name), cap.requestsPerSecond, `${vendor} ${cap.name}`);
        assert.equal(runtime.capFor(vendor), VENDOR_RULES[vendor].requestsPerSecond);
      }
      assert.equal(runtime.capFor('volcengineRTC', 'KickUser'), 60);
      assert.equal(runtime.capFor('tencentTRTC', 'RemoveUser'), 20);
    } finally {
      void runtime.close();
    }
  });

  it("a vendor's cap override holds for every action of that vendor", () => {
    const runtime = createVendorRuntime({ capOverrides: { volcengineRTC: 5 } });
    try {
      for (const action of ['KickUser', 'BanRoomUser', 'UpdateBanRoomUserRule', 'GetRoomUsersProperty']) assert.equal(runtime.capFor('volcengineRTC', action), 5);
      assert.equal(runtime.capFor('tencentChat', 'ban_room_member'), 200);
    } finally {
      void runtime.close();
    }
  });
});
