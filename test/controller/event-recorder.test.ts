// Events behind the reconcile: record() returns at once, a few are sent at a time, the overflow is
// dropped and counted, a failed send is logged and forgotten, and flush() waits for the queue.

import assert from 'node:assert/strict';
import pino from 'pino';
import type { RoomBan } from '../../src/api/types.ts';
import { EventRecorder } from '../../src/controller/event-recorder.ts';
import type { BanEvent } from '../../src/reconcile/index.ts';

const ban = { apiVersion: 'roomban.io/v1alpha1', kind: 'RoomBan', metadata: { namespace: 'ns', name: 'b' }, spec: { providerRef: { name: 'p' }, roomId: 'r', users: ['u'] } } as RoomBan;
const event = (n: number): BanEvent => ({ type: 'Normal', reason: 'UsersRemoved', message: `event ${n}` });
const silent = pino({ level: 'silent' });

function gated() {
  const sent: string[] = [];
  let active = 0;
  let maxActive = 0;
  const gates: (() => void)[] = [];
  const send = async (_ban: RoomBan, e: BanEvent) => {
    active += 1;
    maxActive = Math.max(maxActive, active);
    await new Promise<void>((resolve) => gates.push(resolve));
    active -= 1;
    sent.push(e.message);
  };
  const open = async () => {
    while (gates.length > 0) gates.shift()!();
    await new Promise((r) => setImmediate(r));
  };
  return { sent, send, open, maxActive: () => maxActive };
}

describe('EventRecorder', () => {
  it('record() returns before anything is sent; at most inFlight are sent at once, all in order', async () => {
    const { sent, send, open, maxActive } = gated();
    const recorder = new EventRecorder({ send, inFlight: 2, log: silent });
    recorder.record(ban, [event(1), event(2), event(3)]);
    recorder.record(ban, [event(4), event(5)]);
    assert.equal(sent.length, 0);
    assert.equal(recorder.pending, 5);
    for (let i = 0; i < 5 && sent.length < 5; i++) await open();
    assert.deepEqual(sent, ['event 1', 'event 2', 'event 3', 'event 4', 'event 5']);
    assert.equal(maxActive(), 2);
    assert.equal(recorder.pending, 0);
  });

  it('drops and counts what comes beyond maxQueued waiting; the rest are sent', async () => {
    const { sent, send, open } = gated();
    let dropped = 0;
    const recorder = new EventRecorder({ send, inFlight: 1, maxQueued: 2, log: silent, onDropped: (n) => (dropped += n) });
    recorder.record(ban, [event(1)]);
    await new Promise((r) => setImmediate(r));
    recorder.record(ban, [event(2), event(3), event(4), event(5)]);
    assert.equal(dropped, 2, 'one sending, two waiting, two dropped');
    for (let i = 0; i < 4 && sent.length < 3; i++) await open();
    assert.deepEqual(sent, ['event 1', 'event 2', 'event 3']);
  });

  it('a send that fails is logged and forgotten: the next Events still go', async () => {
    const sent: string[] = [];
    const warnings: string[] = [];
    const log = pino({ level: 'warn' }, { write: (line: string) => warnings.push(String(JSON.parse(line).msg)) });
    const recorder = new EventRecorder({
      send: async (_ban, e) => {
        if (e.message === 'event 1') throw new Error('forbidden');
        sent.push(e.message);
      },
      inFlight: 1,
      log,
    });
    recorder.record(ban, [event(1), event(2)]);
    await recorder.flush(1000);
    assert.deepEqual(sent, ['event 2']);
    assert.deepEqual(warnings, ['could not create event']);
  });

  it('flush() resolves once every queued Event is sent, or after its timeout with a warning', async () => {
    const { sent, send, open } = gated();
    const recorder = new EventRecorder({ send, inFlight: 1, log: silent });
    await recorder.flush(10);
    recorder.record(ban, [event(1), event(2)]);
    let flushed = false;
    const flushing = recorder.flush(60_000).then(() => (flushed = true));
    while (sent.length < 1) await open();
    assert.equal(flushed, false, 'one still queued');
    while (sent.length < 2) await open();
    await flushing;
    assert.deepEqual(sent, ['event 1', 'event 2']);
    recorder.record(ban, [event(3)]);
    const started = performance.now();
    await recorder.flush(50);
    assert.ok(performance.now() - started >= 45, 'waited for the timeout');
    assert.equal(recorder.pending, 1);
    while (sent.length < 3) await open();
  });
});
