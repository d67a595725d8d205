import assert from 'node:assert/strict';
import { censorSecretFields, createLogger, type LoggerOptions, REDACT_PATHS } from '../../src/observability/logger.ts';

/** A logger writing into an array of parsed lines (pino writes synchronously to a plain stream). */
function captured(options: Omit<LoggerOptions, 'destination'> = {}) {
  const raw: string[] = [];
  const log = createLogger({ level: 'debug', ...options, destination: { write: (line: string) => void raw.push(line) } });
  const lines = (): Array<Record<string, unknown>> => raw.map((line) => JSON.parse(line) as Record<string, unknown>);
  return { log, raw, lines };
}

function assertAbsent(raw: string[], secrets: string[]): void {
  const text = raw.join('');
  for (const secret of secrets) assert.ok(!text.includes(secret), `${secret} leaked: ${text}`);
}

describe('createLogger', () => {
  it('writes JSON lines with the component, a level name and an ISO time', () => {
    const { log, lines } = captured();
    log.info({ roomban: 'moderation/raid', vendor: 'tencentTRTC', requestId: 'req-1' }, 'removed');
    const [line] = lines();
    assert.equal(line?.component, 'roomban-operator');
    assert.equal(line?.level, 'info');
    assert.match(String(line?.time), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.equal(line?.msg, 'removed');
    assert.equal(line?.roomban, 'moderation/raid');
  });

  it('carries the convention fields of child loggers', () => {
    const { log, lines } = captured();
    log.child({ roomban: 'ns/a', vendor: 'volcengineRTC' }).child({ requestId: 'r-9' }).warn('throttled');
    assert.deepEqual(
      { roomban: lines()[0]?.roomban, vendor: lines()[0]?.vendor, requestId: lines()[0]?.requestId },
      { roomban: 'ns/a', vendor: 'volcengineRTC', requestId: 'r-9' },
    );
  });

  it('honours the level', () => {
    const { log, raw } = captured({ level: 'warn' });
    log.info('hidden');
    log.debug('hidden');
    log.warn('shown');
    assert.equal(raw.length, 1);
  });

  it('censors credential fields at the top level, nested objects, arrays and headers', () => {
    const { log, raw, lines } = captured();
    log.info(
      {
        secretKey: 'S1-top-secret',
        provider: { credentials: { secretId: 'AKIDxxxx', secretKey: 'S2-nested' } },
        volc: { auth: { secretAccessKey: 'S3-deeper', sessionToken: 'S4-session' } },
        calls: [{ request: { usersig: 'S5-usersig' } }],
        headers: { Authorization: 'TC3-HMAC-SHA256 S6-sig', 'X-TC-Token': 'S7-token' },
        a: { b: { c: { password: 'S8-depth3' } } },
        roomId: 'room-42',
      },
      'calling',
    );
    assertAbsent(raw, ['S1-top', 'AKIDxxxx', 'S2-nested', 'S3-deeper', 'S4-session', 'S5-usersig', 'S6-sig', 'S7-token', 'S8-depth3']);
    const line = lines()[0] as { secretKey: string; provider: { credentials: string }; roomId: string; headers: Record<string, string> };
    assert.equal(line.secretKey, '[REDACTED]');
    assert.equal(line.provider.credentials, '[REDACTED]', 'a whole credentials object is censored');
    assert.equal(line.headers['X-TC-Token'], '[REDACTED]');
    assert.equal(line.roomId, 'room-42', 'ordinary fields are kept');
  });

  it('censors credential fields bound to a child logger', () => {
    const { log, raw } = captured();
    log.child({ token: 'B1-bound-token', Authorization: 'B2-bound-auth' }).info({ userSig: 'B3-sig' }, 'x');
    assertAbsent(raw, ['B1-bound-token', 'B2-bound-auth', 'B3-sig']);
  });

  it('does not rewrite free text: another tenant\'s IDs survive, and every line stays JSON', () => {
    // Scrubbing belongs to the vendor client holding the secret (SecretScrubber), not to the logger:
    // a global scrub erased any text equal to some tenant's credential and could break the JSON.
    const { log, raw } = captured();
    log.info({ roomban: 'tenant-b/ban', userId: 'level', note: '"level":"info"' }, 'vendor answered');
    assert.equal(raw.length, 1);
    const line = JSON.parse(raw[0] ?? '') as Record<string, unknown>;
    assert.equal(line.userId, 'level');
    assert.equal(line.note, '"level":"info"');
    assert.equal(line.level, 'info');
  });

  it('censors at any depth and in any case, without touching the logged object', () => {
    const { log, raw } = captured();
    const deep = { l1: { l2: { l3: { l4: { l5: { SECRETKEY: 'D1-deep', list: [{ Token: 'D2-in-array' }] } } } } } };
    const before = JSON.stringify(deep);
    log.info({ deep }, 'deep');
    assertAbsent(raw, ['D1-deep', 'D2-in-array']);
    assert.equal(JSON.stringify(deep), before, 'the caller’s object was mutated');
  });

  it('leaves errors to the err serializer', () => {
    const { log, lines } = captured();
    log.error({ err: new Error('boom') }, 'failed');
    const err = lines()[0]?.err as { message: string; stack: string };
    assert.equal(err.message, 'boom');
    assert.ok(err.stack.includes('boom'));
  });

  it('configures pino redact paths for top-level fields, with bracket syntax for header names', () => {
    assert.ok(REDACT_PATHS.includes('secretKey'));
    assert.ok(REDACT_PATHS.includes('Authorization'));
    assert.ok(REDACT_PATHS.includes('["x-tc-token"]'));
  });
});

describe('censorSecretFields', () => {
  it('returns the same object when nothing is secret', () => {
    const object = { a: 1, b: { c: [1, { d: 'x' }] } };
    assert.equal(censorSecretFields(object), object);
  });

  it('survives cycles', () => {
    const object: Record<string, unknown> = { password: 'cycle-secret' };
    object.self = object;
    const censored = censorSecretFields(object);
    assert.equal(censored.password, '[REDACTED]');
  });
});
