// checkProviderConfig (what a provider's Ready condition reports) must say exactly what building the
// client would: same verdict, same code, for every vendor, region and endpoint shape.

import assert from 'node:assert/strict';
import { checkProviderConfig, validateProviderConfig } from '../../src/vendors/factory.ts';
import { createVendorRuntime } from '../../src/vendors/runtime.ts';
import type { ProviderConfig } from '../../src/vendors/types.ts';

describe('checkProviderConfig agrees with building the client', () => {
  const runtime = createVendorRuntime();
  after(() => runtime.close());

  const regions = { tencentTRTC: ['ap-singapore', 'ap-guangzhou', 'singapore', 'Guangzhou!'], tencentChat: ['singapore', 'Singapore', 'china', 'atlantis'], volcengineRTC: ['cn-north-1', 'ap-southeast-1', 'cn-south-9'] };
  const endpoints = [undefined, 'http://127.0.0.1:9000/x', 'ftp://example.com', 'not a url', 'https://user:pw@example.com', 'https://example.com/?q=1'];

  function configs(): ProviderConfig[] {
    const out: ProviderConfig[] = [];
    for (const endpoint of endpoints) {
      const common = endpoint === undefined ? {} : { endpoint };
      for (const region of regions.tencentTRTC) out.push({ vendor: 'tencentTRTC', sdkAppId: 1, region, credentials: { secretId: 'i', secretKey: 'k' }, ...common });
      for (const region of regions.tencentChat) out.push({ vendor: 'tencentChat', sdkAppId: 1, region, adminIdentifier: 'admin', credentials: { secretKey: 'k' }, ...common });
      for (const region of regions.volcengineRTC) out.push({ vendor: 'volcengineRTC', appId: 'app', region, credentials: { accessKeyId: 'a', secretAccessKey: 's' }, ...common });
    }
    return out;
  }

  it('for every vendor, region and endpoint shape', () => {
    const verdicts = configs().map((config) => [config.vendor, config.region, config.endpoint ?? '', checkProviderConfig(config)?.code ?? 'ok', validateProviderConfig(config, runtime)?.code ?? 'ok']);
    const disagreements = verdicts.filter(([, , , checked, built]) => checked !== built);
    assert.deepEqual(disagreements, []);
    assert.ok(verdicts.some(([, , , code]) => code === 'Config.UnknownRegion'));
    assert.ok(verdicts.some(([, , , code]) => code === 'Config.InvalidEndpoint'));
    assert.ok(verdicts.some(([, , , code]) => code === 'ok'));
  });
});
