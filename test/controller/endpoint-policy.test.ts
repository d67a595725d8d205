import assert from 'node:assert/strict';
import { endpointPolicy, parseAllowedHost } from '../../src/controller/endpoint-policy.ts';

describe('endpoint policy (--allowed-endpoint-hosts, --allow-custom-endpoints)', () => {
  it('refuses every endpoint when neither flag is set', () => {
    const policy = endpointPolicy({ allowCustom: false, allowedHosts: [] });
    assert.match(policy.refusal('https://sandbox.example/') ?? '', /does not honour custom endpoints/);
  });

  it('--allow-custom-endpoints honours any host but link-local and metadata addresses', () => {
    const policy = endpointPolicy({ allowCustom: true, allowedHosts: [] });
    for (const ok of ['http://127.0.0.1:9000/', 'https://sandbox.example/api', 'http://[::1]:80/', 'http://10.0.0.1/']) assert.equal(policy.refusal(ok), undefined, ok);
    for (const bad of ['http://169.254.169.254/', 'http://169.254.0.23/', 'http://[fe80::1]/', 'http://[::ffff:169.254.169.254]/', 'http://metadata.google.internal/', 'http://100.100.100.200/', 'http://[fd00:ec2::254]/']) {
      assert.match(policy.refusal(bad) ?? '', /link-local or cloud metadata/, bad);
    }
  });

  it('--allowed-endpoint-hosts honours only the named hosts, with or without a port, case-insensitively', () => {
    const policy = endpointPolicy({ allowCustom: true, allowedHosts: ['Sandbox.Example', '127.0.0.1:9000', '[::1]:8443'] });
    assert.equal(policy.refusal('https://sandbox.example/'), undefined);
    assert.equal(policy.refusal('https://SANDBOX.example:8443/'), undefined, 'a host without a port allows any port');
    assert.equal(policy.refusal('http://127.0.0.1:9000/'), undefined);
    assert.match(policy.refusal('http://127.0.0.1:9001/') ?? '', /127\.0\.0\.1:9001 is not in --allowed-endpoint-hosts/);
    assert.equal(policy.refusal('https://[::1]:8443/'), undefined);
    assert.match(policy.refusal('https://evil.example/') ?? '', /evil\.example:443 is not in/);
    assert.match(endpointPolicy({ allowCustom: false, allowedHosts: ['169.254.169.254'] }).refusal('http://169.254.169.254/') ?? '', /never allowed/);
  });

  it('parses host and host:port entries and refuses others', () => {
    assert.deepEqual(parseAllowedHost(' a.example:80 '), { host: 'a.example', port: '80' });
    assert.deepEqual(parseAllowedHost('[::1]'), { host: '::1', port: undefined });
    assert.deepEqual(parseAllowedHost('::1'), { host: '::1', port: undefined });
    for (const bad of ['', 'a:b:c:d:e:f:g:h:i', 'http://x', 'host:port']) assert.throws(() => parseAllowedHost(bad), RangeError, bad);
  });
});
