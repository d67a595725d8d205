// The production error tables (src/vendors/*-errors.ts) held to the vendors' documentation, as
// transcribed by hand in documented-codes.ts: one test per documented row, the families and the
// unknown-code fallback, and both directions of coverage so neither side can drift.

import assert from 'node:assert/strict';
import type { VendorName } from '../../src/api/types.ts';
import { TENCENT_CHAT_ERRORS } from '../../src/vendors/tencent-chat-errors.ts';
import { TENCENT_TRTC_ERRORS } from '../../src/vendors/tencent-trtc-errors.ts';
import { VOLCENGINE_CODE_N, VOLCENGINE_RTC_ERRORS } from '../../src/vendors/volcengine-rtc-errors.ts';
import { DOCUMENTED, DOCUMENTED_VOLCENGINE_CODE_N, describeExpected, documentedRows, type Expected } from './documented-codes.ts';

const TABLES = { tencentTRTC: TENCENT_TRTC_ERRORS, tencentChat: TENCENT_CHAT_ERRORS, volcengineRTC: VOLCENGINE_RTC_ERRORS };
const VENDORS = Object.keys(DOCUMENTED) as VendorName[];
const SECTIONS: Record<VendorName, string> = { tencentTRTC: 'docs/vendors.md#trtc-answers-and-errors', tencentChat: 'docs/vendors.md#chat-answers-and-errors', volcengineRTC: 'docs/vendors.md#volcengine-answers-and-errors' };

interface Rule {
  outcome: string;
  throttle?: boolean;
  resign?: boolean;
  minRetryAfterMs?: number;
}

/** The fields a classification decides, with absent flags spelled out so both sides compare exactly. */
function decided(rule: Rule | Expected) {
  return {
    outcome: rule.outcome,
    throttle: rule.throttle === true,
    resign: rule.resign === true,
    minRetryAfterMs: rule.minRetryAfterMs ?? null,
  };
}

function classify(vendor: VendorName, code: string) {
  return decided(TABLES[vendor].classify(code));
}

/** A code no row lists: the prefix plus a detail no vendor documents. */
const undocumentedVariant = (prefix: string) => `${prefix}UndocumentedVariant`;
const UNKNOWN: Record<VendorName, string> = { tencentTRTC: 'SomethingNew.NeverDocumented', tencentChat: '99999', volcengineRTC: 'SomethingNew.NeverDocumented' };

function difference(a: Iterable<string>, b: Iterable<string>): string[] {
  const other = new Set(b);
  return [...a].filter((x) => !other.has(x)).sort();
}

for (const vendor of VENDORS) {
  const documented = DOCUMENTED[vendor];

  describe(`error table ${vendor} against the vendor's documented codes (${SECTIONS[vendor]})`, () => {
    for (const block of documented.blocks) {
      describe(block.section, () => {
        for (const [code, expected] of Object.entries(block.rows)) {
          it(`${code} -> ${describeExpected(expected)}`, () => {
            assert.deepEqual(classify(vendor, code), decided(expected));
          });
        }
      });
    }

    describe('families and the unknown-code fallback', () => {
      for (const family of documented.families) {
        const code = undocumentedVariant(family.prefix);
        it(`${code} -> ${describeExpected(family.expected)} (${family.prefix}*: ${family.basis})`, () => {
          assert.deepEqual(classify(vendor, code), decided(family.expected));
        });
      }
      it(`an unknown code (${UNKNOWN[vendor]}) -> ${describeExpected(documented.fallback)} (${documented.fallback.basis})`, () => {
        assert.deepEqual(classify(vendor, UNKNOWN[vendor]), decided(documented.fallback));
      });
    });

    describe('coverage in both directions', () => {
      it('every exact row of the production table is a documented code, and every documented code an exact row', () => {
        const production = TABLES[vendor].rows().map(([code]) => code);
        const listed = documentedRows(vendor).map(([code]) => code);
        assert.deepEqual(
          { undocumentedRows: difference(production, listed), documentedWithoutRow: difference(listed, production) },
          { undocumentedRows: [], documentedWithoutRow: [] },
        );
      });

      it('the production families are exactly the listed ones', () => {
        const production = TABLES[vendor].familyRows().map(([prefix]) => prefix);
        const listed = documented.families.map((f) => f.prefix);
        assert.deepEqual(
          { unlistedFamilies: difference(production, listed), listedWithoutFamily: difference(listed, production) },
          { unlistedFamilies: [], listedWithoutFamily: [] },
        );
      });

    });
  });
}

describe('Volcengine CodeN -> Code against Volcengine error codes (volcengine.com/docs/6348/1178322)', () => {
  for (const [codeN, code] of Object.entries(DOCUMENTED_VOLCENGINE_CODE_N)) {
    it(`${codeN} -> ${code}`, () => assert.equal(VOLCENGINE_CODE_N[Number(codeN)], code));
  }

  it('maps exactly the documented CodeN values', () => {
    assert.deepEqual(Object.keys(VOLCENGINE_CODE_N).sort(), Object.keys(DOCUMENTED_VOLCENGINE_CODE_N).sort());
  });

});

describe('documented-codes.ts itself', () => {
  it('a code documented in two sections is documented the same way in both (documentedRows keeps the first)', () => {
    for (const vendor of VENDORS) {
      const seen = new Map<string, { section: string; expected: Expected }>();
      for (const block of DOCUMENTED[vendor].blocks) {
        for (const [code, expected] of Object.entries(block.rows)) {
          const first = seen.get(code);
          if (first) assert.deepEqual(decided(expected), decided(first.expected), `${vendor} ${code}: ${first.section} vs ${block.section}`);
          else seen.set(code, { section: block.section, expected });
        }
      }
    }
  });

  it('each documented CodeN names a code the documented Volcengine table classifies', () => {
    const codes = new Set(documentedRows('volcengineRTC').map(([code]) => code));
    for (const code of Object.values(DOCUMENTED_VOLCENGINE_CODE_N)) assert.ok(codes.has(code), code);
  });
});

// Which Terminal answers are about the account (credentials, app, permissions, endpoint) rather than
// the users named: written out from the codes' meanings in the vendors' docs, not from the tables.
// Every other call of the account would get the same answer, so the reconcile stops on them.
const ACCOUNT_WIDE: Record<VendorName, readonly string[]> = {
  tencentTRTC: [
    'AuthFailure.InvalidAuthorization', 'AuthFailure.InvalidSecretId', 'AuthFailure.MFAFailure', 'AuthFailure.SecretIdNotFound',
    'AuthFailure.SignatureExpire', 'AuthFailure.SignatureFailure', 'AuthFailure.TokenFailure', 'AuthFailure.UnauthorizedOperation',
    'UnauthorizedOperation', 'UnauthorizedOperation.SdkAppId', 'InvalidParameter.SdkAppId', 'MissingParameter.SdkAppId',
    'InvalidAction', 'NoSuchVersion', 'NoSuchProduct', 'ActionOffline', 'UnsupportedRegion', 'UnsupportedProtocol',
    'IpInBlacklist', 'IpNotInWhitelist', 'AuthFailure.SomethingNew', 'UnauthorizedOperation.SomethingNew',
  ],
  tencentChat: [
    '60004', '60005', '60006', '60010', '60012', '60016', '60017', '60020', '60021',
    '70001', '70002', '70003', '70005', '70009', '70013', '70014', '70016', '70020', '70051', '70052', '70107', '70403',
  ],
  volcengineRTC: [
    'InvalidTimestamp', 'ServiceNotFound', 'InvalidActionOrVersion', 'InvalidAccessKey', 'SignatureDoesNotMatch', 'AccessDenied',
    'InvalidAuthorization', 'InvalidCredential', 'MissingSignature', 'MissingAuthenticationToken', 'InvalidSecretToken',
    'LackPolicy', 'LackProjectPolicy', 'InvalidParameter.NotExistAppId', 'InvalidParameter.IllegalAppId',
    'InvalidParameter.AccountIdMismatch', 'AccessDenied.NoPermissionForApp', 'AccessDenied.ServiceNotEnabled', 'AccessDenied.SomethingNew',
  ],
};

/** Terminal answers about the users or the request, which must not stop the other users' calls. */
const ABOUT_THE_USERS: Record<VendorName, readonly string[]> = {
  tencentTRTC: ['InvalidParameter.UserIds', 'InvalidParameter.RoomId', 'MissingParameter.UserIds', 'FailedOperation', 'LimitExceeded', 'SomethingNew.NeverDocumented'],
  tencentChat: ['60002', '60003', '60009', '60015', '70402', '80001', '100002', '100006', '99999'],
  volcengineRTC: ['MissingParameter', 'InvalidParameter.IllegalRoomID', 'InvalidParameter.BodyIsEmpty', 'InvalidParameter.Unmarshal', 'SomethingNew.NeverDocumented'],
};

for (const vendor of VENDORS) {
  describe(`error table ${vendor}: which Terminal answers are account-wide`, () => {
    it('every credential, app and permission refusal is Terminal and account-wide', () => {
      const wrong = ACCOUNT_WIDE[vendor].filter((code) => {
        const rule = TABLES[vendor].classify(code);
        return rule.outcome !== 'Terminal' || rule.accountWide !== true;
      });
      assert.deepEqual(wrong, []);
    });

    it('a Terminal answer about the users or the request is not', () => {
      const wrong = ABOUT_THE_USERS[vendor].filter((code) => TABLES[vendor].classify(code).accountWide === true);
      assert.deepEqual(wrong, []);
    });

    it('no non-Terminal row is account-wide', () => {
      const wrong = TABLES[vendor].rows().filter(([, rule]) => rule.outcome !== 'Terminal' && rule.accountWide === true);
      assert.deepEqual(wrong, []);
    });
  });
}
