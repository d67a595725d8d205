// Generated sequences of spec edits, vendor answers and blocks, checked against the ledger's
// invariants after every step.

import assert from 'node:assert/strict';
import type { BanTarget, RoomBanSpec, RoomBanStatus, UserStatus } from '../../src/api/types.ts';
import type { RemovalOutcome, UserResult } from '../../src/api/results.ts';
import {
  blockedStatus,
  planRemovals,
  prepareStatus,
  nextStep,
  recordResults,
  statusChanged,
  targetFor,
  targetsEqual,
  transitionEvents,
} from '../../src/reconcile/index.ts';
import type { BlockReason } from '../../src/reconcile/index.ts';
import { at, ban, pick, seededRng } from './fixtures.ts';

const USER_POOL = Array.from({ length: 30 }, (_, index) => `user${index}`);
const OUTCOMES: RemovalOutcome[] = ['Removed', 'AlreadyAbsent', 'Retryable', 'Retryable', 'Terminal'];
const BLOCKS: BlockReason[] = ['ProviderNotFound', 'ProviderNotAllowed', 'WaitingForProvider', 'CredentialsInvalid', 'InvalidSpec', 'Paused'];

interface World {
  spec: RoomBanSpec;
  generation: number;
  account: string;
  inputsVersion: string;
  status: RoomBanStatus | undefined;
  clock: number;
  /** Users the vendor answered for in the current step: an answer may move a Failed user. */
  answered: Set<string>;
}

type Step = (world: World, rng: () => number) => RoomBanStatus;

function randomUsers(rng: () => number): string[] {
  const users = USER_POOL.filter(() => rng() < 0.3);
  return users.length === 0 ? [pick(rng, USER_POOL)] : users.sort(() => rng() - 0.5);
}

function currentTarget(world: World): BanTarget {
  return targetFor(world.spec, world.account);
}

const editSpec: Step = (world, rng) => {
  const roll = rng();
  if (roll < 0.5) world.spec = { ...world.spec, users: randomUsers(rng) };
  else if (roll < 0.6) world.spec = { ...world.spec, roomId: pick(rng, ['abcd', 'efgh']) };
  else if (roll < 0.7) world.account = pick(rng, ['tencentTRTC/1', 'tencentTRTC/2']);
  else if (roll < 0.8) world.inputsVersion = `${Math.floor(rng() * 3)}/${Math.floor(rng() * 3)}`;
  else world.spec = { ...world.spec, reason: `r${Math.floor(rng() * 3)}` };
  if (roll < 0.7 || roll >= 0.8) world.generation += 1;
  return prepare(world);
};

function prepare(world: World): RoomBanStatus {
  const input = ban({ spec: world.spec, generation: world.generation, ...(world.status ? { status: world.status } : {}) });
  return prepareStatus(input, { generation: world.generation, target: currentTarget(world), inputsVersion: world.inputsVersion }, at(world.clock));
}

const callVendor: Step = (world, rng) => {
  const prepared = prepare(world);
  const batch = planRemovals(prepared.users ?? [], pick(rng, [1, 10, 20]))[0] ?? [];
  // Sometimes the vendor layer also answers for users that are already done or gone.
  const extras = rng() < 0.2 ? [pick(rng, USER_POOL)] : [];
  const answers: UserResult[] = [...batch, ...extras].map((userId) => ({
    userId,
    outcome: pick(rng, OUTCOMES),
    code: pick(rng, ['', 'InternalError', 'RequestLimitExceeded', 'AuthFailure.SignatureFailure']),
    message: 'm',
    requestId: pick(rng, ['', `req-${world.clock}`]),
    ...(rng() < 0.2 ? { throttled: true, retryAfterMs: Math.floor(rng() * 5000) } : {}),
  }));
  world.answered = new Set(answers.map((answer) => answer.userId));
  return recordResults(prepared, answers, at(world.clock), world.generation);
};

const block: Step = (world, rng) => {
  const input = ban({ spec: world.spec, generation: world.generation, ...(world.status ? { status: world.status } : {}) });
  const known = rng() < 0.5 ? { target: currentTarget(world) } : {};
  return blockedStatus(input, { reason: pick(rng, BLOCKS), generation: world.generation, ...known }, at(world.clock));
};

function byId(status: RoomBanStatus | undefined): Map<string, UserStatus> {
  return new Map((status?.users ?? []).map((user) => [user.userId, user]));
}

function checkInvariants(world: World, before: RoomBanStatus | undefined, after: RoomBanStatus, step: string): void {
  const users = after.users ?? [];
  const summary = after.summary;
  assert.ok(summary !== undefined);
  assert.equal(summary.total, users.length, step);
  assert.equal(summary.removed + summary.pending + summary.failed, summary.total, step);
  assert.equal(after.progress, `${summary.removed}/${summary.total}`);
  assert.deepEqual(users.map((user) => user.userId), [...new Set(world.spec.users)], `${step}: users follow spec order`);
  assert.equal(after.observedGeneration, world.generation);

  const trueOnes = (after.conditions ?? []).filter((c) => ['Ready', 'Reconciling', 'Stalled'].includes(c.type) && c.status === 'True');
  assert.ok(trueOnes.length <= 1, `${step}: at most one of Ready/Reconciling/Stalled is True`);
  assert.deepEqual(after.conditions?.map((c) => c.type), ['Ready', 'Reconciling', 'Stalled']);
  for (const c of after.conditions ?? []) assert.equal(c.observedGeneration, world.generation);
  assert.equal(statusChanged(after, structuredClone(after)), false);

  const sameTarget = before !== undefined && before.target !== undefined && targetsEqual(before.target, after.target);
  const previous = byId(before);
  for (const user of users) {
    const was = previous.get(user.userId);
    if (!sameTarget || was === undefined) continue;
    if (was.state === 'Removed' || was.state === 'AlreadyAbsent') {
      assert.deepEqual(user, was, `${step}: done user ${user.userId} kept with its decisive answer`);
    }
    const inputsSame = before.observedGeneration === world.generation && before.inputsVersion === after.inputsVersion;
    if (was.state === 'Failed' && inputsSame && !world.answered.has(user.userId)) assert.equal(user.state, 'Failed', `${step}: Failed user ${user.userId} not retried without a change`);
  }

  for (const batch of planRemovals(after.users ?? [], 10)) {
    assert.ok(batch.length >= 1 && batch.length <= 10);
    for (const userId of batch) assert.equal(byId(after).get(userId)?.state, 'Pending');
  }
  const outcome = nextStep({ users: after.users ?? [], results: [] });
  if (summary.pending === 0) assert.equal(outcome.kind, 'done');
  if (summary.pending > 0) assert.notEqual(outcome.kind, 'done', 'Pending users are never forgotten');
  transitionEvents(before, after).forEach((event) => assert.ok(Buffer.byteLength(event.message) <= 1024));
}

describe('reconcile core properties (generated sequences)', () => {
  it('never loses a removed user, keeps the summary summing to total, and keeps conditions consistent', () => {
    const steps: Array<[string, Step, number]> = [
      ['edit', editSpec, 0.2],
      ['call', callVendor, 0.65],
      ['block', block, 0.15],
    ];
    for (let seed = 1; seed <= 300; seed++) {
      const rng = seededRng(seed);
      const world: World = { spec: { providerRef: { name: 'p' }, roomId: 'abcd', users: randomUsers(rng) }, generation: 1, account: 'tencentTRTC/1', inputsVersion: '0/0', status: undefined, clock: 0, answered: new Set() };
      for (let i = 0; i < 40; i++) {
        world.clock += 1;
        world.answered = new Set();
        const roll = rng();
        let acc = 0;
        const [name, step] = steps.find(([, , weight]) => (acc += weight) > roll) ?? steps[1] ?? ['call', callVendor, 1];
        const after = step(world, rng);
        checkInvariants(world, world.status, after, `seed ${seed} step ${i} (${name})`);
        world.status = after;
      }
    }
  });

  it('a finished ban reaches Ready with every user out, whatever the vendor answered on the way', () => {
    for (let seed = 1; seed <= 100; seed++) {
      const rng = seededRng(1000 + seed);
      const world: World = { spec: { providerRef: { name: 'p' }, roomId: 'abcd', users: randomUsers(rng) }, generation: 1, account: 'tencentTRTC/1', inputsVersion: '0/0', status: undefined, clock: 0, answered: new Set() };
      for (let i = 0; i < 200 && nextStep({ users: world.status?.users ?? [], results: [] }).kind !== 'done'; i++) {
        world.clock += 1;
        const prepared = prepare(world);
        const batch = planRemovals(prepared.users ?? [], 10)[0] ?? [];
        const answers: UserResult[] = batch.map((userId) => ({ userId, outcome: rng() < 0.6 ? 'Removed' : 'Retryable', code: '', message: '', requestId: `r${i}` }));
        world.status = recordResults(prepared, answers, at(world.clock), world.generation);
      }
      assert.equal(nextStep({ users: world.status?.users ?? [], results: [] }).kind, 'done', `seed ${seed}`);
      assert.equal(world.status?.summary?.removed, world.status?.summary?.total);
    }
  });
});
