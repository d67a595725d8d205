import assert from 'node:assert/strict';
import { Registry } from 'prom-client';
import { createMetrics, vendorObserver } from '../../src/observability/metrics.ts';
import { metricCode } from '../../src/vendors/index.ts';
import type { VendorCallRecord } from '../../src/vendors/types.ts';

const call: VendorCallRecord = {
  vendor: 'tencentTRTC',
  action: 'RemoveUserByStrRoomId',
  account: '1400000001',
  outcome: 'Removed',
  code: '',
  requestId: 'eac6b301-a322-493a-8e36-83b295459397',
  users: 10,
  durationMs: 250,
};

describe('createMetrics', () => {
  it('registers every roomban series and the default process metrics on its registry', async () => {
    const metrics = createMetrics();
    metrics.reconcileTotal.inc({ result: 'success' });
    metrics.watchUp.set({ resource: 'roombans' }, 1);
    const text = await metrics.registry.metrics();
    const names = [
      'roomban_reconcile_total',
      'roomban_reconcile_duration_seconds',
      'roomban_workqueue_depth',
      'roomban_workqueue_retries_total',
      'roomban_vendor_calls_total',
      'roomban_vendor_call_duration_seconds',
      'roomban_vendor_limiter_wait_seconds',
      'roomban_vendor_throttled_total',
      'roomban_users_removed_total',
      'roomban_status_writes_total',
      'roomban_status_conflicts_total',
      'roomban_watch_restarts_total',
      'roomban_watch_up',
      'roomban_leader',
      'process_cpu_user_seconds_total',
      'nodejs_heap_size_used_bytes',
    ];
    for (const name of names) assert.ok(text.includes(`# TYPE ${name} `), `${name} missing`);
    assert.match(text, /^roomban_reconcile_total\{result="success"\} 1$/m);
    assert.match(text, /^roomban_watch_up\{resource="roombans"\} 1$/m);
  });

  it('uses the registry it is given, and separate registries do not collide', async () => {
    const registry = new Registry();
    const one = createMetrics(registry);
    const two = createMetrics();
    assert.equal(one.registry, registry);
    one.leader.set(1);
    two.leader.set(0);
    assert.match(await registry.metrics(), /^roomban_leader 1$/m);
    assert.match(await two.registry.metrics(), /^roomban_leader 0$/m);
  });
});

describe('vendorObserver', () => {
  it('counts calls by vendor, action, outcome and code, and observes their latency', async () => {
    const metrics = createMetrics();
    const observer = vendorObserver(metrics);
    observer.onCall?.(call);
    observer.onCall?.(call);
    observer.onCall?.({ ...call, outcome: 'AlreadyAbsent', code: 'FailedOperation.RoomNotExist', durationMs: 40 });
    const text = await metrics.registry.metrics();
    assert.match(text, /^roomban_vendor_calls_total\{vendor="tencentTRTC",action="RemoveUserByStrRoomId",outcome="Removed",code="none"\} 2$/m);
    assert.match(
      text,
      /^roomban_vendor_calls_total\{vendor="tencentTRTC",action="RemoveUserByStrRoomId",outcome="AlreadyAbsent",code="FailedOperation.RoomNotExist"\} 1$/m,
    );
    assert.match(text, /^roomban_vendor_call_duration_seconds_count\{vendor="tencentTRTC",action="RemoveUserByStrRoomId"\} 3$/m);
    assert.match(text, /^roomban_vendor_call_duration_seconds_sum\{vendor="tencentTRTC",action="RemoveUserByStrRoomId"\} 0.54$/m);
    assert.match(text, /^roomban_vendor_call_duration_seconds_bucket\{le="0.05",vendor="tencentTRTC",action="RemoveUserByStrRoomId"\} 1$/m);
  });

  it('observes limiter waits and counts throttling, without the account label', async () => {
    const metrics = createMetrics();
    const observer = vendorObserver(metrics);
    observer.onLimiterWait?.('volcengineRTC', 'KickUser', 1500);
    observer.onThrottled?.('tencentChat', 'kick_user_out', '1400000001');
    const text = await metrics.registry.metrics();
    assert.match(text, /^roomban_vendor_limiter_wait_seconds_sum\{vendor="volcengineRTC",action="KickUser"\} 1.5$/m);
    assert.match(text, /^roomban_vendor_throttled_total\{vendor="tencentChat",action="kick_user_out"\} 1$/m);
    assert.ok(!text.includes('1400000001'), 'no account label');
  });

  it('never turns identifiers, user IDs or free text into label values', async () => {
    const metrics = createMetrics();
    const observer = vendorObserver(metrics);
    observer.onCall?.({ ...call, code: 'user test1 not in room abcd', outcome: 'Terminal' });
    observer.onCall?.({ ...call, code: 'x'.repeat(65), outcome: 'Terminal' });
    const text = await metrics.registry.metrics();
    assert.match(text, /outcome="Terminal",code="other"\} 2$/m);
    assert.ok(!text.includes('test1') && !text.includes(call.requestId));
  });
});

describe('metricCode (the code label)', () => {
  it("keeps the codes the vendor's table and the boundary know, names the empty code, caps the rest", () => {
    assert.equal(metricCode('tencentChat', '100005'), '100005');
    assert.equal(metricCode('tencentTRTC', 'HTTP.429'), 'HTTP.429');
    assert.equal(metricCode('volcengineRTC', 'Transport.Timeout'), 'Transport.Timeout');
    assert.equal(metricCode('tencentTRTC', 'Config.UnknownRegion'), 'Config.UnknownRegion');
    assert.equal(metricCode('tencentTRTC', ''), 'none');
    assert.equal(metricCode('tencentTRTC', 'InvalidParameter,x'), 'other');
    assert.equal(metricCode('tencentTRTC', 'a"b'), 'other');
  });

  it('bounds code-shaped strings nobody documented: families by their prefix, the rest "other"', () => {
    assert.equal(metricCode('tencentTRTC', 'InternalError.Brand0New'), 'InternalError.*');
    assert.equal(metricCode('tencentTRTC', 'FailedOperation.RoomNotExist'), 'FailedOperation.RoomNotExist');
    const invented = new Set(Array.from({ length: 1000 }, (_, i) => metricCode('tencentChat', String(200000 + i))));
    assert.deepEqual([...invented], ['other']);
    assert.equal(metricCode('volcengineRTC', 'SomethingNew.NeverDocumented'), 'other');
    assert.equal(metricCode('tencentChat', 'HTTP.4290'), 'other');
  });
});
