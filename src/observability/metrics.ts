// The operator's Prometheus series (design.md §6). Labels are bounded: never RoomBan names or
// user IDs; vendor codes come from the vendors' tables, anything else is "other".

import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { VendorObserver } from '../vendors/types.ts';

export type Metrics = ReturnType<typeof createMetrics>;

export function createMetrics(registry = new Registry()) {
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  return {
    registry,
    reconcileTotal: new Counter({ name: 'roomban_reconcile_total', help: 'Reconciles by result.', labelNames: ['result'], registers }),
    reconcileDuration: new Histogram({ name: 'roomban_reconcile_duration_seconds', help: 'Reconcile duration.', registers, buckets: [0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30, 120] }),
    workqueueDepth: new Gauge({ name: 'roomban_workqueue_depth', help: 'RoomBans waiting to be reconciled.', registers }),
    workqueueRetries: new Counter({ name: 'roomban_workqueue_retries_total', help: 'Reconciles requeued after a failure.', registers }),
    vendorCalls: new Counter({ name: 'roomban_vendor_calls_total', help: 'Vendor API calls by outcome and code.', labelNames: ['vendor', 'action', 'outcome', 'code'], registers }),
    vendorCallDuration: new Histogram({ name: 'roomban_vendor_call_duration_seconds', help: 'Vendor API call latency.', labelNames: ['vendor', 'action'], registers, buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 3, 10] }),
    limiterWait: new Histogram({ name: 'roomban_vendor_limiter_wait_seconds', help: 'Time waiting for a rate-limit token.', labelNames: ['vendor', 'action'], registers, buckets: [0.001, 0.01, 0.05, 0.1, 0.5, 1, 5, 30] }),
    vendorThrottled: new Counter({ name: 'roomban_vendor_throttled_total', help: 'Rate-limit answers from vendors.', labelNames: ['vendor', 'action'], registers }),
    usersRemoved: new Counter({ name: 'roomban_users_removed_total', help: 'Users out of their room, by how.', labelNames: ['vendor', 'state'], registers }),
    statusWrites: new Counter({ name: 'roomban_status_writes_total', help: 'Status subresource writes by result.', labelNames: ['result'], registers }),
    statusConflicts: new Counter({ name: 'roomban_status_conflicts_total', help: 'Status writes answered 409.', registers }),
    watchRestarts: new Counter({ name: 'roomban_watch_restarts_total', help: 'Watch reconnects.', labelNames: ['resource'], registers }),
    watchUp: new Gauge({ name: 'roomban_watch_up', help: '1 while the watch is connected.', labelNames: ['resource'], registers }),
    leader: new Gauge({ name: 'roomban_leader', help: '1 while this replica leads.', registers }),
  };
}

const BOUNDED_CODE = /^[A-Za-z0-9.]{1,64}$/;

export function vendorObserver(metrics: Metrics): VendorObserver {
  return {
    onCall: (r) => {
      const code = r.code === '' ? 'ok' : BOUNDED_CODE.test(r.code) ? r.code : 'other';
      metrics.vendorCalls.inc({ vendor: r.vendor, action: r.action, outcome: r.outcome, code });
      metrics.vendorCallDuration.observe({ vendor: r.vendor, action: r.action }, r.durationMs / 1000);
    },
    onLimiterWait: (vendor, action, waitedMs) => metrics.limiterWait.observe({ vendor, action }, waitedMs / 1000),
    onThrottled: (vendor, action) => metrics.vendorThrottled.inc({ vendor, action }),
  };
}
