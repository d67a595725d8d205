// Secrets are watched as metadata only: a tenant's many large unrelated Secrets cost the operator
// their metadata, not their data, so they cannot exhaust its heap (the image's 160 MB) and take the
// operator down for every tenant. Only a Secret a provider names is read, and then kept.

import assert from 'node:assert/strict';
import { freshNamespace } from '../harness/cluster.ts';
import { isReady } from '../../support/fixtures.ts';
import { imageNodeOptions, residentBytes } from '../../support/operator-process.ts';
import { startOperator, useOperatorEnv } from './support.ts';

const UNRELATED = 200;
const SECRET_BYTES = 1_000_000;

describe('operator memory: unrelated Secrets', function () {
  this.timeout(600_000);
  const env = useOperatorEnv();

  it(`${UNRELATED} unrelated 1 MB Secrets: the operator, with the image's heap, keeps working and its RSS grows < 20 MB`, async () => {
    const ns = await freshNamespace(env.cluster);
    const op = await startOperator(env, { namespaces: [ns], env: { NODE_OPTIONS: imageNodeOptions() } });
    const pid = op.child.pid ?? 0;
    const provider = await env.fx.vendorProvider(ns, 'tencentTRTC', env.sims.trtc.url);
    env.sims.trtc.addMembers(`warm-${ns}`, ['w1']);
    await env.fx.ban(ns, 'warm', { providerRef: { name: provider }, roomId: `warm-${ns}`, users: ['w1'] });
    await env.fx.waitForBan(ns, 'warm', isReady);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const before = residentBytes(pid);

    const payload = 'x'.repeat(SECRET_BYTES);
    for (let start = 0; start < UNRELATED; start += 8) {
      await Promise.all(Array.from({ length: Math.min(8, UNRELATED - start) }, (_, i) => env.fx.secret(ns, `unrelated-${start + i}`, { blob: payload })));
    }
    // Watch events arrive in order: once a ban created after the Secrets is Ready, the operator
    // has seen all of them.
    env.sims.trtc.addMembers(`after-${ns}`, ['a1']);
    await env.fx.ban(ns, 'after', { providerRef: { name: provider }, roomId: `after-${ns}`, users: ['a1'] });
    await env.fx.waitForBan(ns, 'after', isReady, 120_000);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const after = residentBytes(pid);
    const growthMB = (after - before) / 2 ** 20;
    assert.equal(op.child.exitCode, null, 'the operator is still running');
    assert.ok(growthMB < 20, `RSS grew ${growthMB.toFixed(1)} MB (${(before / 2 ** 20).toFixed(0)} -> ${(after / 2 ** 20).toFixed(0)} MB)`);
    await env.cluster.kubectl(['delete', 'secrets', '--all', '-n', ns, '--wait=false']);
  });
});
