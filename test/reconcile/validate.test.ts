import assert from 'node:assert/strict';
import { VENDOR_RULES } from '../../src/api/vendor-rules.ts';
import { describeFieldErrors, formatFieldError, validateSpecForVendor } from '../../src/reconcile/index.ts';

const MAX_NUMERIC_ROOM_ID = VENDOR_RULES.tencentTRTC.maxNumericRoomId ?? 0;
import type { FieldError } from '../../src/reconcile/index.ts';
import { spec } from './fixtures.ts';

const messages = (errors: FieldError[]): string[] => errors.map(formatFieldError);

describe('validateSpecForVendor', () => {
  describe('tencentTRTC', () => {
    it('accepts a valid string-room spec', () => {
      assert.deepEqual(validateSpecForVendor(spec({ users: ['test_1', 'A-b'] }), 'tencentTRTC'), []);
    });

    it('names the user field with its index for a bad charset', () => {
      const errors = validateSpecForVendor(spec({ users: ['ok', 'fine', 'good', 'bad.user'] }), 'tencentTRTC');
      assert.deepEqual(messages(errors), ['spec.users[3]: TRTC user IDs are at most 32 bytes of [A-Za-z0-9_-]; got "bad.user"']);
    });

    it('accepts a 32-byte user ID and rejects 33 bytes', () => {
      assert.deepEqual(validateSpecForVendor(spec({ users: ['a'.repeat(32)] }), 'tencentTRTC'), []);
      const errors = validateSpecForVendor(spec({ users: ['a'.repeat(33)] }), 'tencentTRTC');
      assert.equal(errors.length, 1);
      assert.equal(errors[0]?.field, 'spec.users[0]');
    });

    it('rejects @ which the CRD allows but TRTC does not', () => {
      const errors = validateSpecForVendor(spec({ users: ['a@b'] }), 'tencentTRTC');
      assert.equal(errors[0]?.field, 'spec.users[0]');
    });

    it('reports every bad user, in order', () => {
      const errors = validateSpecForVendor(spec({ users: ['x.y', 'ok', 'z@w'] }), 'tencentTRTC');
      assert.deepEqual(errors.map((error) => error.field), ['spec.users[0]', 'spec.users[2]']);
    });

    it('rejects string room IDs over 64 bytes, counting UTF-8 bytes', () => {
      assert.deepEqual(validateSpecForVendor(spec({ roomId: 'r'.repeat(64) }), 'tencentTRTC'), []);
      assert.equal(validateSpecForVendor(spec({ roomId: 'r'.repeat(65) }), 'tencentTRTC')[0]?.field, 'spec.roomId');
      // 22 CJK characters are 66 bytes.
      const errors = validateSpecForVendor(spec({ roomId: '房'.repeat(22) }), 'tencentTRTC');
      assert.match(formatFieldError(errors[0] ?? { field: '', detail: '' }), /^spec\.roomId: TRTC string room IDs are at most 64 bytes/);
    });

    it('rejects an empty room ID', () => {
      assert.equal(validateSpecForVendor(spec({ roomId: '' }), 'tencentTRTC')[0]?.field, 'spec.roomId');
    });

    it('accepts numeric room IDs at both ends of [1, 4294967294]', () => {
      for (const roomId of ['1', '42', String(MAX_NUMERIC_ROOM_ID)]) {
        assert.deepEqual(validateSpecForVendor(spec({ roomId, roomIdType: 'Numeric' }), 'tencentTRTC'), [], roomId);
      }
    });

    it('rejects numeric room IDs out of range, not digits, or with leading zeros', () => {
      for (const roomId of ['0', '4294967295', '99999999999', '-1', '1.5', '12a', '', '007', ' 7', '١٢']) {
        const errors = validateSpecForVendor(spec({ roomId, roomIdType: 'Numeric' }), 'tencentTRTC');
        assert.equal(errors.length, 1, roomId);
        assert.equal(errors[0]?.field, 'spec.roomId');
        assert.match(errors[0]?.detail ?? '', /\[1, 4294967294\]/);
      }
    });
  });

  describe('tencentChat', () => {
    it('accepts a valid spec', () => {
      assert.deepEqual(validateSpecForVendor(spec({ users: ['admin_1'], roomId: 'room-1' }), 'tencentChat'), []);
    });

    it('applies the 32-byte [A-Za-z0-9_-] user rule', () => {
      const errors = validateSpecForVendor(spec({ users: ['good', 'a.b'] }), 'tencentChat');
      assert.deepEqual(messages(errors), ['spec.users[1]: Chat user IDs are at most 32 bytes of [A-Za-z0-9_-]; got "a.b"']);
    });

    it('rejects room IDs over 48 bytes', () => {
      assert.deepEqual(validateSpecForVendor(spec({ roomId: 'r'.repeat(48) }), 'tencentChat'), []);
      assert.match(messages(validateSpecForVendor(spec({ roomId: 'r'.repeat(49) }), 'tencentChat'))[0] ?? '', /^spec\.roomId: Chat room IDs are at most 48 bytes/);
    });

    it('rejects Numeric room IDs: only TRTC has them', () => {
      const errors = validateSpecForVendor(spec({ roomId: '123', roomIdType: 'Numeric' }), 'tencentChat');
      assert.deepEqual(errors.map((error) => error.field), ['spec.roomIdType']);
      assert.match(errors[0]?.detail ?? '', /only on TRTC/);
    });

    it('rejects a reason over 1000 UTF-8 bytes that the CRD (counting characters) would accept', () => {
      assert.deepEqual(validateSpecForVendor(spec({ reason: 'x'.repeat(1000) }), 'tencentChat'), []);
      const errors = validateSpecForVendor(spec({ reason: '违'.repeat(334) }), 'tencentChat');
      assert.deepEqual(errors.map((error) => error.field), ['spec.reason']);
      assert.match(errors[0]?.detail ?? '', /got 1002/);
    });

    it('does not apply the Chat reason limit to other vendors', () => {
      assert.deepEqual(validateSpecForVendor(spec({ reason: '违'.repeat(334) }), 'tencentTRTC'), []);
    });
  });

  describe('volcengineRTC', () => {
    it('accepts @ . _ - in IDs up to 128 characters', () => {
      const long = 'a'.repeat(128);
      assert.deepEqual(validateSpecForVendor(spec({ users: ['a@b.c_d-e', long], roomId: long }), 'volcengineRTC'), []);
    });

    it('rejects 129 characters and other characters, in users and room', () => {
      const errors = validateSpecForVendor(spec({ users: ['a'.repeat(129), 'a b'], roomId: 'room#1' }), 'volcengineRTC');
      assert.deepEqual(errors.map((error) => error.field), ['spec.roomId', 'spec.users[0]', 'spec.users[1]']);
      assert.match(errors[1]?.detail ?? '', /^Volcengine RTC user IDs are at most 128 characters of \[A-Za-z0-9@\._-\]/);
    });

    it('rejects Numeric room IDs', () => {
      assert.deepEqual(validateSpecForVendor(spec({ roomId: '1', roomIdType: 'Numeric' }), 'volcengineRTC').map((error) => error.field), ['spec.roomIdType']);
    });
  });

  it('reports duplicate users against their first occurrence', () => {
    const errors = validateSpecForVendor(spec({ users: ['a', 'b', 'a'] }), 'tencentTRTC');
    assert.deepEqual(messages(errors), ['spec.users[2]: duplicate of spec.users[0] ("a")']);
  });

  it('quotes offending values so control characters are visible, and bounds them', () => {
    const [error] = validateSpecForVendor(spec({ users: ['a\nb'] }), 'tencentTRTC');
    assert.match(error?.detail ?? '', /got "a\\nb"$/);
    const [long] = validateSpecForVendor(spec({ users: ['.'.repeat(500)] }), 'volcengineRTC');
    assert.ok((long?.detail.length ?? 0) < 200);
  });

  describe('describeFieldErrors', () => {
    it('joins errors with semicolons', () => {
      const errors = validateSpecForVendor(spec({ users: ['a.b', 'c.d'] }), 'tencentTRTC');
      assert.equal(
        describeFieldErrors(errors),
        'spec.users[0]: TRTC user IDs are at most 32 bytes of [A-Za-z0-9_-]; got "a.b"; spec.users[1]: TRTC user IDs are at most 32 bytes of [A-Za-z0-9_-]; got "c.d"',
      );
    });

    it('lists the first 10 and counts the rest', () => {
      const errors = validateSpecForVendor(spec({ users: Array.from({ length: 25 }, (_, index) => `bad.${index}`) }), 'tencentTRTC');
      const message = describeFieldErrors(errors);
      assert.match(message, /spec\.users\[9\]/);
      assert.doesNotMatch(message, /spec\.users\[10\]/);
      assert.match(message, / and 15 more$/);
    });
  });
});
