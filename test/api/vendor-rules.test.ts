// The vendor rules are stated once, in src/api/vendor-rules.ts (and the regions in
// src/vendors/regions.ts); the CRDs must repeat them in CEL and enums for admission. These tests
// read both, so the CRD cannot drift from what the operator and its clients enforce.

import assert from 'node:assert/strict';
import { VENDOR_RULES } from '../../src/api/vendor-rules.ts';
import { TENCENT_CHAT_DOMAINS } from '../../src/vendors/index.ts';
import { type CrdFile, loadCrd, schemaAt, schemaOf } from './crd-files.ts';

const PROVIDER_CRDS: CrdFile[] = ['roomproviders', 'clusterroomproviders'];

for (const plural of PROVIDER_CRDS) {
  describe(`vendor rules in the ${plural} CRD`, () => {
    const spec = schemaAt(schemaOf(loadCrd(plural)), '.spec');

    it('the Chat region enum is exactly the regions the Chat client knows', () => {
      const region = schemaAt(spec, '.tencentChat.region');
      assert.deepEqual([...(region.enum ?? [])].sort(), Object.keys(TENCENT_CHAT_DOMAINS).sort());
    });

    it("each vendor's rateLimit bound is its documented cap (VENDOR_RULES.requestsPerSecond)", () => {
      const rules = (spec['x-kubernetes-validations'] ?? []).map((rule) => rule.rule.replace(/\s+/g, ' '));
      for (const vendor of ['tencentTRTC', 'volcengineRTC'] as const) {
        const cap = VENDOR_RULES[vendor].requestsPerSecond;
        assert.ok(rules.some((rule) => rule.includes(`has(self.${vendor})`) && rule.includes(`requestsPerSecond <= ${cap}`)), `${vendor} <= ${cap}`);
      }
      // The highest cap (Chat's) is the schema's maximum and needs no rule.
      const highest = Math.max(...Object.values(VENDOR_RULES).map((rules) => rules.requestsPerSecond));
      assert.equal(highest, VENDOR_RULES.tencentChat.requestsPerSecond);
      assert.equal(schemaAt(spec, '.rateLimit.requestsPerSecond').maximum, highest);
    });
  });
}

describe('vendor rules in the roombans CRD', () => {
  const spec = schemaAt(schemaOf(loadCrd('roombans')), '.spec');
  const rules = (spec['x-kubernetes-validations'] ?? []).map((rule) => rule.rule.replace(/\s+/g, ' '));

  it("the Numeric room bound is TRTC's maxNumericRoomId", () => {
    const max = VENDOR_RULES.tencentTRTC.maxNumericRoomId;
    assert.ok(rules.some((rule) => rule.includes(`<= ${max}`)), `no rule bounds Numeric rooms by ${max}: ${rules.join(' | ')}`);
  });

  it("the reason bound is Chat's maxReasonBytes", () => {
    const max = VENDOR_RULES.tencentChat.maxReasonBytes;
    const reason = schemaAt(spec, '.reason');
    const all = [...rules, ...(reason['x-kubernetes-validations'] ?? []).map((rule) => rule.rule)];
    assert.ok(all.some((rule) => rule.includes(String(max))), `no rule bounds the reason by ${max} bytes`);
    assert.equal(reason.maxLength, max);
  });
});

describe('status bounds (src/api/bounds.ts) in the roombans CRD', () => {
  const users = schemaAt(schemaOf(loadCrd('roombans')), '.status.users[]');
  it('requestId, vendorCode and message are cut to exactly the maxLength the API server enforces', async () => {
    const bounds = await import('../../src/api/bounds.ts');
    assert.equal(schemaAt(users, '.requestId').maxLength, bounds.MAX_REQUEST_ID_CHARS);
    assert.equal(schemaAt(users, '.vendorCode').maxLength, bounds.MAX_VENDOR_CODE_CHARS);
    assert.equal(schemaAt(users, '.message').maxLength, bounds.MAX_USER_MESSAGE_CHARS);
  });
});
