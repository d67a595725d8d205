// The operator's Prometheus series (docs/architecture.md#one-roomban-end-to-end), on one prom-client Registry per operator (no
// global registry, so tests and benchmarks can run several). Every label is bounded: vendor, action
// and outcome come from our code, vendor codes from the vendors' tables (anything else is "other"),
// and RoomBan names or user IDs never become labels — they belong in logs.

import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { metricCode, type VendorObserver } from '../vendors/index.ts';

export interface Metrics {
  registry: Registry;
  /** result: success | retry | error (the work queue's ProcessOutcome). */
  reconcileTotal: Counter<'result'>;
  reconcileDuration: Histogram;
  workqueueDepth: Gauge;
  workqueueRetries: Counter;
  /** code: the vendor's code, "none" for a plain success, "other" for anything unbounded. */
  vendorCalls: Counter<'vendor' | 'action' | 'outcome' | 'code'>;
  vendorCallDuration: Histogram<'vendor' | 'action'>;
  limiterWait: Histogram<'vendor' | 'action'>;
  vendorThrottled: Counter<'vendor' | 'action'>;
  /** state: Removed | AlreadyAbsent. */
  usersRemoved: Counter<'vendor' | 'state'>;
  bansLifted: Counter<'vendor' | 'how'>;
  bansRestored: Counter<'vendor'>;
  roomBansPerCall: Histogram;
  riders: Counter;
  eventsDropped: Counter;
  statusWriteBytes: Counter<'how'>;
  statusWrites: Counter<'result'>;
  statusConflicts: Counter;
  watchRestarts: Counter<'resource'>;
  /** 1 while the resource's watch is connected, 0 while it reconnects. */
  watchUp: Gauge<'resource'>;
  /** 1 while this replica holds the leader Lease. */
  leader: Gauge;
  /** Vendor clients held (one per provider in use); a deleted provider or Secret drops its client. */
  vendorClients: Gauge;
}

// Seconds. Reconciles span a cache hit to several throttled vendor calls; vendor calls are HTTP
// round trips to another continent at worst; limiter waits reach seconds when a bucket is drained.
const RECONCILE_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];
const VENDOR_CALL_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const LIMITER_WAIT_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

export function createMetrics(registry: Registry = new Registry()): Metrics {
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  return {
    registry,
    reconcileTotal: new Counter({ name: 'roomban_reconcile_total', help: 'Reconciles by result (success, retry, error).', labelNames: ['result'], registers }),
    reconcileDuration: new Histogram({ name: 'roomban_reconcile_duration_seconds', help: 'Time spent in one reconcile.', buckets: RECONCILE_BUCKETS, registers }),
    workqueueDepth: new Gauge({ name: 'roomban_workqueue_depth', help: 'RoomBans waiting to be reconciled (not in flight, not delayed).', registers }),
    workqueueRetries: new Counter({ name: 'roomban_workqueue_retries_total', help: 'Reconciles scheduled again after a failure.', registers }),
    vendorCalls: new Counter({ name: 'roomban_vendor_calls_total', help: 'Vendor API calls by outcome and vendor code.', labelNames: ['vendor', 'action', 'outcome', 'code'], registers }),
    vendorCallDuration: new Histogram({ name: 'roomban_vendor_call_duration_seconds', help: 'Vendor API call latency.', labelNames: ['vendor', 'action'], buckets: VENDOR_CALL_BUCKETS, registers }),
    limiterWait: new Histogram({ name: 'roomban_vendor_limiter_wait_seconds', help: 'Time a vendor call waited for a rate-limit token.', labelNames: ['vendor', 'action'], buckets: LIMITER_WAIT_BUCKETS, registers }),
    vendorThrottled: new Counter({ name: 'roomban_vendor_throttled_total', help: 'Rate-limit answers from vendors.', labelNames: ['vendor', 'action'], registers }),
    usersRemoved: new Counter({ name: 'roomban_users_removed_total', help: 'Users out of their room, by final state (Removed, AlreadyAbsent).', labelNames: ['vendor', 'state'], registers }),
    bansLifted: new Counter({ name: 'roomban_bans_lifted_total', help: 'Bans let go by a RoomBan: lifted at the vendor, or handed over to another RoomBan that still bans the user.', labelNames: ['vendor', 'how'], registers }),
    bansRestored: new Counter({ name: 'roomban_bans_restored_total', help: 'Bans found lifted out of band and restored for the time left.', labelNames: ['vendor'], registers }),
    roomBansPerCall: new Histogram({ name: 'roomban_vendor_call_roombans', help: 'RoomBans whose users went out in one combined vendor call.', buckets: [1, 2, 5, 10, 20], registers }),
    riders: new Counter({ name: 'roomban_workqueue_riders_total', help: 'Waiting RoomBans started out of turn to ride along with a kick of the same room that had room left (batching across RoomBans).', registers }),
    eventsDropped: new Counter({ name: 'roomban_events_dropped_total', help: 'Events not sent because too many were waiting (Events are best-effort; status is the record).', registers }),
    statusWrites: new Counter({ name: 'roomban_status_writes_total', help: 'RoomBan status subresource writes by result.', labelNames: ['result'], registers }),
    statusWriteBytes: new Counter({ name: 'roomban_status_write_bytes_total', help: 'Request bytes of RoomBan status writes: a JSON Patch of what changed (patch) or the whole object (put).', labelNames: ['how'], registers }),
    statusConflicts: new Counter({ name: 'roomban_status_conflicts_total', help: 'RoomBan status writes answered 409 Conflict.', registers }),
    watchRestarts: new Counter({ name: 'roomban_watch_restarts_total', help: 'Watch reconnects and relists by resource.', labelNames: ['resource'], registers }),
    watchUp: new Gauge({ name: 'roomban_watch_up', help: '1 while the watch of the resource is connected.', labelNames: ['resource'], registers }),
    leader: new Gauge({ name: 'roomban_leader', help: '1 while this replica holds the leader Lease.', registers }),
    vendorClients: new Gauge({ name: 'roomban_vendor_clients', help: 'Vendor clients held, one per provider in use (each holds its credentials).', registers }),
  };
}

/** Adapts the vendor boundary's observer to these metrics. */
export function vendorObserver(metrics: Metrics): VendorObserver {
  return {
    onCall: (record) => {
      const action = actionLabel(record.action);
      metrics.vendorCalls.inc({ vendor: record.vendor, action, outcome: record.outcome, code: metricCode(record.vendor, record.code) });
      metrics.vendorCallDuration.observe({ vendor: record.vendor, action }, record.durationMs / 1000);
    },
    onLimiterWait: (vendor, action, waitedMs) => metrics.limiterWait.observe({ vendor, action: actionLabel(action) }, waitedMs / 1000),
    onThrottled: (vendor, action) => metrics.vendorThrottled.inc({ vendor, action: actionLabel(action) }),
  };
}

// Actions look like "RemoveUserByStrRoomId", "kick_user_out", "KickUser".
const ACTION_SHAPED = /^[\w./-]{1,64}$/;

// Actions come from our vendor clients, so this only guards against a future mistake.
function actionLabel(action: string): string {
  return ACTION_SHAPED.test(action) ? action : 'other';
}
