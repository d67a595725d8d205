// The Argo CD health check shipped in charts/roomban-operator/argocd/health.lua, judged by Argo CD's
// own Lua VM (argo-cd/v3 util/lua, through tools/argocd's argocd-health): gopher-lua with only the
// base and table libraries, what the application controller runs it with.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Condition } from '../../src/api/types.ts';
import { argoCdHealthTool, argoCdHealth as health, runArgoCdHealth } from './argocd.ts';

interface RoomBanShape {
  metadata: { name: string; namespace: string; generation: number | string; annotations?: Record<string, string> };
  spec: Record<string, unknown>;
  status?: { observedGeneration?: number | string; conditions?: Condition[] };
}

function condition(type: string, status: Condition['status'], reason: string, message: string, observedGeneration = 1): Condition {
  return { type, status, reason, message, observedGeneration, lastTransitionTime: '2026-11-21T10:00:00Z' };
}

function roomBan(options: {
  generation?: number | string;
  observedGeneration?: number | string;
  conditions?: Condition[];
  annotations?: Record<string, string>;
  noStatus?: boolean;
}): RoomBanShape {
  return {
    metadata: { name: 'raid', namespace: 'moderation', generation: options.generation ?? 1, annotations: options.annotations },
    spec: { providerRef: { name: 'trtc-intl' }, roomId: 'abcd', users: ['test1', 'test2'], reason: 'spam wave' },
    status: options.noStatus ? undefined : { observedGeneration: options.observedGeneration ?? 1, conditions: options.conditions ?? [] },
  };
}

const READY = condition('Ready', 'True', 'AllUsersRemoved', '2/2 users are out of room abcd');
const NOT_READY = condition('Ready', 'False', 'Progressing', '1/2 users are out of room abcd');
const RECONCILING = condition('Reconciling', 'True', 'Throttled', 'Waiting for the tencentTRTC rate limit; 1 user pending');
const NOT_RECONCILING = condition('Reconciling', 'False', 'Done', '');
const NOT_STALLED = condition('Stalled', 'False', 'Done', '');
const STALLED = condition('Stalled', 'True', 'CredentialsInvalid', 'Secret moderation/trtc-credentials has no key secretKey');

describe(`Argo CD health check for RoomBan (argocd/health.lua, in Argo CD's Lua VM)`, function () {
  this.timeout(30_000);

  before(function () {
    argoCdHealthTool(); // throws "... is missing: run scripts/setup.sh" when tools/argocd is not built
  });

  it('is judged by Argo CD\'s restricted VM: the string library a full Lua has is not there', () => {
    const dir = mkdtempSync(join(tmpdir(), 'roomban-lua-'));
    try {
      const script = join(dir, 'uses-string.lua');
      writeFileSync(script, 'local hs = {}\nhs.status = string.upper("healthy")\nreturn hs\n');
      const run = runArgoCdHealth(roomBan({}), script);
      assert.notEqual(run.status, 0, `string.upper worked: ${run.stdout}`);
      assert.match(run.stderr, /attempt to index a non-table object\(nil\)/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is Healthy when Ready=True for the current generation, with the Ready message', () => {
    const result = health(roomBan({ conditions: [READY, NOT_RECONCILING, NOT_STALLED] }));
    assert.deepEqual(result, { status: 'Healthy', message: '2/2 users are out of room abcd' });
  });

  it('is Progressing while Reconciling=True, with the Reconciling message', () => {
    const result = health(roomBan({ conditions: [NOT_READY, RECONCILING, NOT_STALLED] }));
    assert.deepEqual(result, { status: 'Progressing', message: 'Waiting for the tencentTRTC rate limit; 1 user pending' });
  });

  it('is Degraded when Stalled=True, with the Stalled message', () => {
    const result = health(roomBan({ conditions: [NOT_READY, NOT_RECONCILING, STALLED] }));
    assert.deepEqual(result, { status: 'Degraded', message: 'Secret moderation/trtc-credentials has no key secretKey' });
  });

  it('is Degraded with the reason when a Stalled condition has no message', () => {
    const stalled = condition('Stalled', 'True', 'ProviderNotFound', '');
    assert.deepEqual(health(roomBan({ conditions: [NOT_READY, stalled] })), { status: 'Degraded', message: 'ProviderNotFound' });
  });

  it('is Suspended when paused (roomban.io/paused: "true") and not Ready', () => {
    const paused = condition('Reconciling', 'False', 'Paused', 'Paused by annotation roomban.io/paused');
    const result = health(roomBan({ annotations: { 'roomban.io/paused': 'true' }, conditions: [NOT_READY, paused, NOT_STALLED] }));
    assert.equal(result.status, 'Suspended');
    assert.match(result.message, /roomban\.io\/paused/);
  });

  it('stays Healthy when paused after every user is out', () => {
    const result = health(roomBan({ annotations: { 'roomban.io/paused': 'true' }, conditions: [READY, NOT_RECONCILING, NOT_STALLED] }));
    assert.equal(result.status, 'Healthy');
  });

  it('ignores a paused annotation that is not exactly "true"', () => {
    const result = health(roomBan({ annotations: { 'roomban.io/paused': 'false' }, conditions: [NOT_READY, RECONCILING] }));
    assert.equal(result.status, 'Progressing');
  });

  it('is Progressing before the operator writes any status', () => {
    const result = health(roomBan({ noStatus: true }));
    assert.deepEqual(result, { status: 'Progressing', message: 'Waiting for the operator to observe the RoomBan' });
  });

  it('is Progressing for a ban the operator has not seen (status as the schema defaults it)', () => {
    const result = health(roomBan({ observedGeneration: 0 }));
    assert.deepEqual(result, { status: 'Progressing', message: 'Waiting for the operator to observe the RoomBan' });
  });

  it('is Progressing, not Healthy, when Ready=True is from an older generation', () => {
    const result = health(roomBan({ generation: 3, observedGeneration: 2, conditions: [READY] }));
    assert.deepEqual(result, { status: 'Progressing', message: 'Waiting for the operator to observe generation 3 (observed 2)' });
  });

  it('is Progressing, not Degraded, when Stalled=True is from an older generation (the spec was fixed)', () => {
    const result = health(roomBan({ generation: 2, observedGeneration: 1, conditions: [NOT_READY, STALLED] }));
    assert.equal(result.status, 'Progressing');
  });

  it('is Progressing when Ready=False and nothing says why', () => {
    assert.deepEqual(health(roomBan({ conditions: [NOT_READY] })), { status: 'Progressing', message: '1/2 users are out of room abcd' });
  });

  it('compares generations given as strings (Argo CD may decode numbers as json.Number)', () => {
    assert.equal(health(roomBan({ generation: '4', observedGeneration: '4', conditions: [READY] })).status, 'Healthy');
    assert.equal(health(roomBan({ generation: '5', observedGeneration: '4', conditions: [READY] })).status, 'Progressing');
  });
});
