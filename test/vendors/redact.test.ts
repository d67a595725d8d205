// URL redaction, the secret scrubber and configuration errors: the pieces that keep secrets out of
// messages and turn bad provider settings into typed Terminal results.

import assert from 'node:assert/strict';
import { createVendorClient, validateProviderConfig } from '../../src/vendors/factory.ts';
import { REDACTED, redactUrl, SecretScrubber } from '../../src/vendors/redact.ts';
import { createVendorRuntime } from '../../src/vendors/runtime.ts';
import type { ProviderConfig } from '../../src/vendors/types.ts';

describe('redaction', () => {
  it('redactUrl hides sensitive query values and keeps the rest', () => {
    const url = 'https://adminapisgp.im.qcloud.com/v4/room_engine_http_srv/kick_user_out?sdkappid=1&identifier=admin&usersig=eJxSECRET&random=7&contenttype=json';
    const redacted = redactUrl(url);
    assert.ok(!redacted.includes('eJxSECRET'));
    assert.ok(redacted.includes(`usersig=${REDACTED}`));
    assert.ok(redacted.includes('sdkappid=1'));
  });

  it('redactUrl never throws', () => {
    assert.equal(redactUrl('not a url'), '[unparseable URL]');
  });

  it('SecretScrubber removes every known secret, including ones added later', () => {
    const scrubber = new SecretScrubber(['key-123456', undefined]);
    scrubber.add('sig-abcdef');
    assert.equal(scrubber.scrub('a key-123456 b sig-abcdef c key-123456'), `a ${REDACTED} b ${REDACTED} c ${REDACTED}`);
  });

  it('vendor messages are bounded to the status bound, in code points (one rule: api/bounds.ts)', async () => {
    const { createVendorClient } = await import('../../src/vendors/factory.ts');
    const { MAX_USER_MESSAGE_CHARS } = await import('../../src/api/bounds.ts');
    const runtime = createVendorRuntime();
    try {
      const long = '\u{1F600}'.repeat(MAX_USER_MESSAGE_CHARS * 2);
      const config: ProviderConfig = { vendor: 'tencentChat', sdkAppId: 1, region: long, adminIdentifier: 'a', credentials: { secretKey: 'k' } };
      const [result] = await createVendorClient(config, runtime).removeUsers({ roomId: 'r', roomIdType: 'String', userIds: ['u'] });
      assert.ok(result !== undefined && Array.from(result.message).length <= MAX_USER_MESSAGE_CHARS, String(result?.message.length));
    } finally {
      await runtime.close();
    }
  });
});

describe('createVendorClient configuration errors', () => {
  const runtime = createVendorRuntime();
  after(async () => runtime.close());
  const trtc: ProviderConfig = {
    vendor: 'tencentTRTC',
    sdkAppId: 1,
    region: 'ap-guangzhou',
    credentials: { secretId: 'id', secretKey: 'key-do-not-leak' },
  };

  for (const [endpoint, why] of [
    ['ftp://example.com', 'not http(s)'],
    ['not a url', 'unparseable'],
    ['https://user:pw@example.com', 'credentials in the URL'],
    ['https://example.com/?x=1', 'a query'],
  ] as const) {
    it(`a custom endpoint with ${why} is Config.InvalidEndpoint`, async () => {
      assert.equal(validateProviderConfig({ ...trtc, endpoint }, runtime)?.code, 'Config.InvalidEndpoint');
      const [result] = await createVendorClient({ ...trtc, endpoint }, runtime).removeUsers({ roomId: 'r', roomIdType: 'String', userIds: ['a'], reason: '' });
      assert.deepEqual([result?.outcome, result?.code], ['Terminal', 'Config.InvalidEndpoint']);
    });
  }

  it('a malformed TRTC region is Config.UnknownRegion', () => {
    assert.equal(validateProviderConfig({ ...trtc, region: 'Guangzhou!' }, runtime)?.code, 'Config.UnknownRegion');
  });

  it('a usable configuration validates', () => {
    assert.equal(validateProviderConfig(trtc, runtime), undefined);
  });
});
