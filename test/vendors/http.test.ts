// parseRetryAfter (src/vendors/http.ts): the Retry-After header as delay-seconds or an HTTP-date.
// The HTTP client's own behaviour (timeouts, transport failures, Retry-After on real answers) is
// tested through each vendor's simulator in client-contract.test.ts.

import assert from 'node:assert/strict';
import { parseRetryAfter } from '../../src/vendors/http.ts';

describe('parseRetryAfter', () => {
  const now = Date.UTC(2026, 0, 1, 0, 0, 0);
  it('reads delay-seconds', () => assert.equal(parseRetryAfter('7', now), 7000));
  it('reads an HTTP-date', () => assert.equal(parseRetryAfter('Thu, 01 Jan 2026 00:00:05 GMT', now), 5000));
  it('treats a past date as no wait', () => assert.equal(parseRetryAfter('Wed, 31 Dec 2025 23:59:00 GMT', now), 0));
  it('ignores garbage', () => assert.equal(parseRetryAfter('soon', now), undefined));
  it('caps absurd values at a day', () => assert.equal(parseRetryAfter('99999999', now), 86_400_000));
  it('is undefined without a header', () => assert.equal(parseRetryAfter(undefined, now), undefined));
});
