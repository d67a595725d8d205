// Bad input is a clear status, never a silent loop, and one tenant's input never reaches another's
// output: malformed credential values, and credential values that look like log text.

import assert from 'node:assert/strict';
import { freshNamespace } from '../harness/cluster.ts';
import { condition, providerSpec, secretData } from '../../support/fixtures.ts';
import { sumMetric } from '../../support/operator-process.ts';
import { callsFor, startOperator, useOperatorEnv } from './support.ts';

describe('vendor clients held', function () {
  this.timeout(120_000);
  const env = useOperatorEnv();

  it('a deleted provider or Secret drops its client and the credentials it holds (roomban_vendor_clients)', async () => {
    const ns = await freshNamespace(env.cluster);
    const op = await startOperator(env, { namespaces: [ns] });
    const clients = async (): Promise<number> => sumMetric(await (await fetch(`${op.metricsUrl}/metrics`)).text(), 'roomban_vendor_clients');
    for (const name of ['p1', 'p2']) {
      await env.fx.vendorProvider(ns, 'tencentTRTC', env.sims.trtc.url, name);
      env.sims.trtc.addMembers(`${name}-${ns}`, ['u1']);
      await env.fx.ban(ns, name, { providerRef: { name }, roomId: `${name}-${ns}`, users: ['u1'] });
      await env.fx.waitForBan(ns, name, (ban) => condition(ban, 'Ready')?.status === 'True');
    }
    assert.equal(await clients(), 2);
    await env.fx.custom.deleteNamespacedCustomObject({ group: 'roomban.io', version: 'v1alpha1', namespace: ns, plural: 'roomproviders', name: 'p1' });
    await env.fx.core.deleteNamespacedSecret({ namespace: ns, name: 'p2-credentials' });
    for (let i = 0; i < 100 && (await clients()) !== 0; i++) await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(await clients(), 0);
  });
});

describe('bad input', function () {
  this.timeout(120_000);
  const env = useOperatorEnv();

  it('a credential with a control character, non-UTF-8 bytes or over 4 KiB is Stalled/CredentialsInvalid naming the key, with no vendor call', async () => {
    const ns = await freshNamespace(env.cluster);
    await startOperator(env, { namespaces: [ns] });
    const good = secretData('tencentTRTC');
    const cases = [
      { name: 'newline', secretKey: Buffer.from(`abc\ndef${good.secretKey}`), says: /secretKey holds control characters/ },
      { name: 'binary', secretKey: Buffer.from([0xff, 0xfe, 0x00, 0x41, 0x42, 0x43]), says: /secretKey holds control characters or bytes that are not UTF-8/ },
      { name: 'huge', secretKey: Buffer.alloc(5000, 'k'), says: /secretKey is over 4096 bytes/ },
    ];
    for (const { name, secretKey } of cases) {
      const data = { secretId: Buffer.from(good.secretId ?? '').toString('base64'), secretKey: secretKey.toString('base64') };
      await env.fx.core.createNamespacedSecret({ namespace: ns, body: { metadata: { name: `${name}-keys` }, data } });
      await env.fx.provider(ns, name, providerSpec('tencentTRTC', env.sims.trtc.url, `${name}-keys`));
      env.sims.trtc.addMembers(`bad-${name}-${ns}`, ['u1']);
      await env.fx.ban(ns, name, { providerRef: { name }, roomId: `bad-${name}-${ns}`, users: ['u1'] });
    }
    for (const { name, says } of cases) {
      const ban = await env.fx.waitForBan(ns, name, (b) => condition(b, 'Stalled')?.reason === 'CredentialsInvalid');
      assert.equal(condition(ban, 'Stalled')?.reason, 'CredentialsInvalid', name);
      assert.match(condition(ban, 'Stalled')?.message ?? '', says, name);
      assert.doesNotMatch(condition(ban, 'Stalled')?.message ?? '', /kkkk|def/, 'no credential value in status');
      assert.deepEqual(callsFor(env.sims.trtc, `bad-${name}-${ns}`), [], `${name}: no vendor call`);
    }
  });

  it("one tenant's credential values never rewrite another tenant's log lines (scrubbing is per vendor client)", async () => {
    const a = await freshNamespace(env.cluster, 'ta');
    const b = await freshNamespace(env.cluster, 'tb');
    const op = await startOperator(env, { namespaces: [a, b] });
    // Tenant A's junk credentials look like log text and like tenant B's user ID.
    await env.fx.secret(a, 'junk-keys', { secretId: '"level":"info"', secretKey: 'tenant-b-user-0001' });
    await env.fx.provider(a, 'junk', providerSpec('tencentTRTC', env.sims.trtc.url, 'junk-keys'));
    await env.fx.ban(a, 'junk', { providerRef: { name: 'junk' }, roomId: `junk-${a}`, users: ['x1'] });
    await env.fx.waitForBan(a, 'junk', (ban) => (ban.status?.observedGeneration ?? 0) > 0 && (ban.status?.users?.[0]?.attempts ?? 0) > 0);

    const provider = await env.fx.vendorProvider(b, 'tencentTRTC', env.sims.trtc.url);
    env.sims.trtc.addMembers(`clean-${b}`, ['tenant-b-user-0001']);
    await env.fx.ban(b, 'clean', { providerRef: { name: provider }, roomId: `clean-${b}`, users: ['tenant-b-user-0001'] });
    await env.fx.waitForBan(b, 'clean', (ban) => condition(ban, 'Ready')?.status === 'True');
    await op.waitForOutput(new RegExp(`"roomban":"${b}/clean".*"userId":"tenant-b-user-0001"`));

    const lines = op.output().split('\n').filter((line) => line.trim().startsWith('{'));
    assert.ok(lines.length > 5);
    for (const line of lines) assert.doesNotThrow(() => JSON.parse(line), `not JSON: ${line}`);
  });
});
