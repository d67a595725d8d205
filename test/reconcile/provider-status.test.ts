import assert from 'node:assert/strict';
import { providerStatus } from '../../src/reconcile/index.ts';

describe('providerStatus', () => {
  const t0 = '2026-12-01T10:00:00Z';
  const t1 = '2026-12-01T10:05:00Z';

  it('sets Ready and observedGeneration for the generation it describes', () => {
    const status = providerStatus(undefined, { ready: false, reason: 'SecretNotFound', message: 'Secret ns/s not found' }, 3, t0);
    assert.deepEqual(status, {
      observedGeneration: 3,
      conditions: [{ type: 'Ready', status: 'False', reason: 'SecretNotFound', message: 'Secret ns/s not found', observedGeneration: 3, lastTransitionTime: t0 }],
    });
  });

  it('keeps lastTransitionTime while Ready keeps its status, and moves it when Ready flips', () => {
    const missing = providerStatus(undefined, { ready: false, reason: 'SecretNotFound', message: 'm' }, 1, t0);
    const malformed = providerStatus(missing, { ready: false, reason: 'CredentialsInvalid', message: 'missing key secretKey' }, 1, t1);
    assert.equal(malformed.conditions?.[0]?.lastTransitionTime, t0);
    assert.equal(malformed.conditions?.[0]?.reason, 'CredentialsInvalid');
    const fixed = providerStatus(malformed, { ready: true, reason: 'CredentialsFound', message: 'ok' }, 2, t1);
    assert.equal(fixed.conditions?.[0]?.lastTransitionTime, t1);
    assert.equal(fixed.conditions?.length, 1);
    assert.equal(fixed.observedGeneration, 2);
  });

  it('cuts long messages to the condition bound', () => {
    const status = providerStatus(undefined, { ready: false, reason: 'UnknownRegion', message: 'x'.repeat(5000) }, 1, t0);
    assert.equal(status.conditions?.[0]?.message.length, 1024);
  });
});
