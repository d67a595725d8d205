// parseRetryAfter (src/vendors/http.ts): the Retry-After header as delay-seconds or an HTTP-date.
// The HTTP client's own behaviour (timeouts, transport failures, Retry-After on real answers) is
// tested through each vendor's simulator in client-contract.test.ts.

import assert from 'node:assert/strict';
import { MAX_RETRY_AFTER_MS } from '../../src/common/backoff.ts';
import { parseRetryAfter } from '../../src/vendors/http.ts';

describe('parseRetryAfter', () => {
  const now = Date.UTC(2026, 0, 1, 0, 0, 0);
  it('reads delay-seconds', () => assert.equal(parseRetryAfter('7', now), 7000));
  it('reads an HTTP-date', () => assert.equal(parseRetryAfter('Thu, 01 Jan 2026 00:00:05 GMT', now), 5000));
  it('treats a past date as no wait', () => assert.equal(parseRetryAfter('Wed, 31 Dec 2025 23:59:00 GMT', now), 0));
  it('ignores garbage', () => assert.equal(parseRetryAfter('soon', now), undefined));
  it('caps absurd delay-seconds at an hour (MAX_RETRY_AFTER_MS, the one bound on every Retry-After)', () => {
    assert.equal(MAX_RETRY_AFTER_MS, 3_600_000);
    assert.equal(parseRetryAfter('99999999', now), MAX_RETRY_AFTER_MS);
  });
  it('caps a far HTTP-date at the same hour', () => assert.equal(parseRetryAfter('Fri, 01 Jan 2027 00:00:00 GMT', now), MAX_RETRY_AFTER_MS));
  it('is undefined without a header', () => assert.equal(parseRetryAfter(undefined, now), undefined));
});

describe('HttpTransport: a request the HTTP client refuses to send', () => {
  it('is Transport.InvalidRequest (Terminal), not a retryable socket error, and names no header value', async () => {
    const { HttpTransport } = await import('../../src/vendors/http.ts');
    const { TransportError } = await import('../../src/vendors/errors.ts');
    const { systemClock } = await import('../../src/vendors/clock.ts');
    const transport = new HttpTransport({ clock: systemClock });
    try {
      const sent = transport.send({ url: new URL('http://127.0.0.1:9/'), method: 'POST', headers: { 'X-TC-Token': 'tok\nen-value' }, body: '{}' });
      await assert.rejects(sent, (error: unknown) => {
        assert.ok(error instanceof TransportError);
        assert.equal(error.code, 'Transport.InvalidRequest');
        assert.equal(error.outcome, 'Terminal');
        assert.doesNotMatch(error.message, /en-value/);
        return true;
      });
    } finally {
      await transport.close();
    }
  });
});
