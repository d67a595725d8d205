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

  it('SecretScrubber removes every known secret, including ones minted later', () => {
    const scrubber = new SecretScrubber(['key-123456', undefined]);
    scrubber.addMinted('sig-abcdef');
    assert.equal(scrubber.scrub('a key-123456 b sig-abcdef c key-123456'), `a ${REDACTED} b ${REDACTED} c ${REDACTED}`);
  });

  it('SecretScrubber keeps only the last two minted secrets (a UserSig per day must not grow it forever)', () => {
    const scrubber = new SecretScrubber(['key-123456']);
    for (let day = 0; day < 400; day += 1) scrubber.addMinted(`usersig-${day}`);
    assert.equal(scrubber.size, 3);
    assert.equal(scrubber.scrub('usersig-399 usersig-398'), `${REDACTED} ${REDACTED}`);
    assert.equal(scrubber.scrub('key-123456'), REDACTED);
  });

  it('SecretScrubber replaces a longer secret whole when it contains a shorter one', () => {
    assert.equal(new SecretScrubber(['secret', 'secret-long-value']).scrub('x secret-long-value x'), `x ${REDACTED} x`);
  });

  it('SecretScrubber replaces URL-encoded and JSON-escaped forms', () => {
    assert.equal(new SecretScrubber(['a+b/c==']).scrub('sig=a%2Bb%2Fc%3D%3D'), `sig=${REDACTED}`);
    assert.equal(new SecretScrubber(['say "hi"']).scrub('{"m":"say \\"hi\\""}'), `{"m":"${REDACTED}"}`);
  });

  it('SecretScrubber ignores empty and very short secrets, and text without secrets', () => {
    assert.equal(new SecretScrubber(['', 'a', 'bc']).scrub('a b c'), 'a b c');
    assert.equal(new SecretScrubber(['abcdef']).scrub('nothing here'), 'nothing here');
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

  for (const region of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
    it(`a Chat or Volcengine region named like an Object member ("${region}") is Config.UnknownRegion, not a TypeError`, async () => {
      const chat: ProviderConfig = { vendor: 'tencentChat', sdkAppId: 1, region, adminIdentifier: 'admin', credentials: { secretKey: 'k' } };
      const volc: ProviderConfig = { vendor: 'volcengineRTC', appId: 'app', region, credentials: { accessKeyId: 'a', secretAccessKey: 's' } };
      for (const config of [chat, volc]) {
        assert.equal(validateProviderConfig(config, runtime)?.code, 'Config.UnknownRegion', config.vendor);
        const [result] = await createVendorClient(config, runtime).removeUsers({ roomId: 'r', roomIdType: 'String', userIds: ['a'] });
        assert.deepEqual([result?.outcome, result?.code], ['Terminal', 'Config.UnknownRegion'], config.vendor);
        assert.match(result?.message ?? '', new RegExp(region.replace(/_/g, '_')));
      }
    });
  }

  it('a usable configuration validates', () => {
    assert.equal(validateProviderConfig(trtc, runtime), undefined);
  });
});
