// The chart's optional PrometheusRule and Grafana dashboard, judged by Prometheus' own promtool
// (tools/promtool, built from the github.com/prometheus/prometheus module): `promtool check rules`
// parses every rule, and `promtool test rules` runs each alert against synthetic series — it fires
// when it should, only for this release's series, and not before its `for` has passed. The
// dashboard's queries go through the same PromQL parser, and every series the rules and the
// dashboard read is one the operator really exports.

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { createMetrics } from '../../src/observability/metrics.ts';
import { runCommand } from '../../support/run-command.ts';
import { CHART_DIR, findManifest, type Manifest, renderChart } from '../packaging/chart.ts';
import { promtoolBinary } from './support.ts';

interface Rule {
  alert?: string;
  record?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

interface RuleGroup {
  name: string;
  rules: Rule[];
}

interface Panel {
  title: string;
  type: string;
  targets?: { expr: string; refId: string }[];
}

interface Dashboard {
  title: string;
  uid: string;
  panels: Panel[];
  templating: { list: { name: string; type: string }[] };
}

const RELEASE = 'rb';
const NAMESPACE = 'roomban-system';
const JOB = `${RELEASE}-roomban-operator-metrics`;
const OURS = `job="${JOB}", namespace="${NAMESPACE}"`;

function groups(manifest: Manifest): RuleGroup[] {
  return (manifest.spec as { groups: RuleGroup[] }).groups;
}

/** Every series name the operator exports (histograms as _bucket, _sum and _count). */
async function operatorSeries(): Promise<Set<string>> {
  const names = new Set<string>();
  for (const metric of await createMetrics().registry.getMetricsAsJSON()) {
    if (metric.type.toString() === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) names.add(metric.name + suffix);
    else names.add(metric.name);
  }
  return names;
}

/** The metric names a PromQL expression reads (identifiers followed by a selector or a range). */
function seriesIn(expr: string): string[] {
  return [...expr.matchAll(/\b([a-z_:][a-z0-9_:]*)\s*(?=\{|\[)/g)].map((m) => m[1]!).filter((name) => name !== 'on' && name !== 'by');
}

describe('Prometheus alerts and the Grafana dashboard, with promtool', function () {
  this.timeout(60_000);
  let promtool: string;
  let dir: string;
  let rulesFile: string;
  let rendered: Manifest[];

  const run = async (args: string[]): Promise<string> => {
    const result = await runCommand(promtool, args);
    assert.equal(result.code, 0, `promtool ${args.join(' ')} exited ${result.code}:\n${result.stdout}${result.stderr}`);
    return result.stdout + result.stderr;
  };

  before(async () => {
    promtool = promtoolBinary();
    dir = mkdtempSync(join(tmpdir(), 'roomban-promtool-'));
    rendered = await renderChart({
      release: RELEASE, namespace: NAMESPACE,
      values: { 'prometheusRule.enabled': true, 'grafanaDashboard.enabled': true, replicaCount: 2 },
    });
    rulesFile = join(dir, 'rules.yaml');
    writeFileSync(rulesFile, stringify({ groups: groups(findManifest(rendered, 'PrometheusRule')) }));
  });
  after(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('renders nothing of either by default', async () => {
    const kinds = (await renderChart()).map((m) => m.kind);
    assert.ok(!kinds.includes('PrometheusRule'));
    assert.ok(!kinds.includes('ConfigMap'));
  });

  it('promtool check rules accepts the four alerts; RoomBanNoLeader only with leader election', async () => {
    const out = await run(['check', 'rules', rulesFile]);
    assert.match(out, /SUCCESS: 4 rules found/);
    const alerts = groups(findManifest(rendered, 'PrometheusRule')).flatMap((g) => g.rules.map((r) => r.alert));
    assert.deepEqual(alerts, ['RoomBanStalled', 'RoomBanVendorRateLimited', 'RoomBanWatchDown', 'RoomBanNoLeader']);
    const single = await renderChart({ release: RELEASE, namespace: NAMESPACE, values: { 'prometheusRule.enabled': true } });
    const singleAlerts = groups(findManifest(single, 'PrometheusRule')).flatMap((g) => g.rules.map((r) => r.alert));
    assert.ok(!singleAlerts.includes('RoomBanNoLeader'), 'one replica without leader election never sets roomban_leader to 1');
  });

  it('every operator series the rules read exists, and the Stalled rule for 5 minutes reads the conditions series', async () => {
    const exported = await operatorSeries();
    const rules = groups(findManifest(rendered, 'PrometheusRule')).flatMap((g) => g.rules);
    for (const rule of rules) {
      for (const name of seriesIn(rule.expr).filter((n) => n.startsWith('roomban_'))) assert.ok(exported.has(name), `${rule.alert} reads ${name}, which the operator does not export`);
    }
    const stalled = rules.find((r) => r.alert === 'RoomBanStalled');
    assert.equal(stalled?.for, '5m');
    assert.match(stalled?.expr ?? '', /kube_customresource_roomban_status_condition\{type="Stalled"\}/);
  });

  it('promtool test rules: each alert fires for this release when it should, and not before its for', async () => {
    const rules = groups(findManifest(rendered, 'PrometheusRule')).flatMap((g) => g.rules);
    /** An expected alert: its labels, and its annotations with {{ $labels.x }} filled in as Prometheus does. */
    const fired = (alert: string, labels: Record<string, string>) => {
      const templates = rules.find((r) => r.alert === alert)?.annotations ?? {};
      const fill = (text: string) => text.replace(/\{\{ \$labels\.(\w+) \}\}/g, (_, key: string) => labels[key] ?? '');
      return { exp_labels: { severity: 'warning', ...labels }, exp_annotations: Object.fromEntries(Object.entries(templates).map(([k, v]) => [k, fill(v)])) };
    };
    const other = `job="someone-else", namespace="${NAMESPACE}"`;
    const tests = {
      rule_files: [rulesFile],
      evaluation_interval: '1m',
      tests: [
        {
          name: 'stalled five minutes',
          interval: '1m',
          input_series: [
            // Stalled from minute 0 on.
            { series: 'kube_customresource_roomban_status_condition{namespace="moderation", name="stuck", type="Stalled", reason="ProviderNotFound"}', values: '1x15' },
            // Stalled for three minutes, then its provider appeared.
            { series: 'kube_customresource_roomban_status_condition{namespace="moderation", name="recovered", type="Stalled", reason="ProviderNotFound"}', values: '1 1 1 0x12' },
            // Ready, not Stalled.
            { series: 'kube_customresource_roomban_status_condition{namespace="moderation", name="fine", type="Ready", reason="UsersRemoved"}', values: '1x15' },
          ],
          alert_rule_test: [
            { eval_time: '4m', alertname: 'RoomBanStalled', exp_alerts: [] },
            {
              eval_time: '6m', alertname: 'RoomBanStalled',
              exp_alerts: [{
                exp_labels: { severity: 'warning', namespace: 'moderation', name: 'stuck', reason: 'ProviderNotFound' },
                exp_annotations: {
                  summary: 'RoomBan moderation/stuck is Stalled (ProviderNotFound)',
                  description: 'The RoomBan has been Stalled for 5m with reason ProviderNotFound; it is retried only when its spec, its provider or the provider\'s Secret changes. `kubectl -n moderation describe roomban stuck` shows the message.',
                },
              }],
            },
          ],
        },
        {
          name: 'vendor rate-limit answers for ten minutes',
          interval: '1m',
          input_series: [
            { series: `roomban_vendor_throttled_total{${OURS}, pod="p1", vendor="tencentTRTC", action="RemoveUserByStrRoomId"}`, values: '0+2x20' },
            // One rate-limit answer long ago: increase over 5m drops back to 0.
            { series: `roomban_vendor_throttled_total{${OURS}, pod="p1", vendor="tencentChat", action="kick_user_out"}`, values: '0 1x20' },
            { series: `roomban_vendor_throttled_total{${other}, pod="x", vendor="volcengineRTC", action="KickUser"}`, values: '0+5x20' },
          ],
          alert_rule_test: [
            { eval_time: '8m', alertname: 'RoomBanVendorRateLimited', exp_alerts: [] },
            { eval_time: '13m', alertname: 'RoomBanVendorRateLimited', exp_alerts: [fired('RoomBanVendorRateLimited', { namespace: NAMESPACE, vendor: 'tencentTRTC', action: 'RemoveUserByStrRoomId' })] },
          ],
        },
        {
          name: 'a watch down for five minutes',
          interval: '1m',
          input_series: [
            { series: `roomban_watch_up{${OURS}, pod="p1", resource="roombans"}`, values: '1 1 0x10' },
            { series: `roomban_watch_up{${OURS}, pod="p1", resource="secrets"}`, values: '1 0 0 1x9' },
            { series: `roomban_watch_up{${other}, pod="x", resource="roombans"}`, values: '0x12' },
          ],
          alert_rule_test: [
            { eval_time: '5m', alertname: 'RoomBanWatchDown', exp_alerts: [] },
            { eval_time: '8m', alertname: 'RoomBanWatchDown', exp_alerts: [fired('RoomBanWatchDown', { namespace: NAMESPACE, pod: 'p1', resource: 'roombans' })] },
          ],
        },
        {
          name: 'no leader: handed over is fine, none for five minutes fires, none scraped fires',
          interval: '1m',
          input_series: [
            { series: `roomban_leader{${OURS}, pod="p1"}`, values: '1 1 1 0 0 0 0 0 0 0 0 0 0 0 0' },
            { series: `roomban_leader{${OURS}, pod="p2"}`, values: '0 0 0 1 1 1 0 0 0 0 0 0 0 0 0' },
            { series: `roomban_leader{${other}, pod="x"}`, values: '1x14' },
          ],
          alert_rule_test: [
            { eval_time: '5m', alertname: 'RoomBanNoLeader', exp_alerts: [] },
            { eval_time: '10m', alertname: 'RoomBanNoLeader', exp_alerts: [] },
            { eval_time: '12m', alertname: 'RoomBanNoLeader', exp_alerts: [fired('RoomBanNoLeader', {})] },
          ],
        },
        {
          name: 'no leader when nothing of this release is scraped at all',
          interval: '1m',
          input_series: [{ series: `roomban_leader{${other}, pod="x"}`, values: '1x10' }],
          alert_rule_test: [
            { eval_time: '4m', alertname: 'RoomBanNoLeader', exp_alerts: [] },
            { eval_time: '6m', alertname: 'RoomBanNoLeader', exp_alerts: [fired('RoomBanNoLeader', {})] },
          ],
        },
      ],
    };
    const testsFile = join(dir, 'tests.yaml');
    writeFileSync(testsFile, stringify(tests));
    const out = await run(['test', 'rules', testsFile]);
    assert.match(out, /SUCCESS/);
  });

  it('promtool test rules fails when an expectation is wrong (the test above can fail)', async () => {
    const wrong = {
      rule_files: [rulesFile],
      evaluation_interval: '1m',
      tests: [{
        name: 'stalled alert expected too early',
        interval: '1m',
        input_series: [{ series: 'kube_customresource_roomban_status_condition{namespace="m", name="s", type="Stalled", reason="InvalidSpec"}', values: '1x10' }],
        alert_rule_test: [{ eval_time: '3m', alertname: 'RoomBanStalled', exp_alerts: [{ exp_labels: { severity: 'warning', namespace: 'm', name: 's', reason: 'InvalidSpec' } }] }],
      }],
    };
    const file = join(dir, 'wrong.yaml');
    writeFileSync(file, stringify(wrong));
    const result = await runCommand(promtool, ['test', 'rules', file]);
    assert.notEqual(result.code, 0, result.stdout + result.stderr);
    assert.match(result.stdout + result.stderr, /FAILED/);
  });

  it('ships the dashboard in a ConfigMap labelled grafana_dashboard: "1", identical to dashboards/roomban-operator.json', () => {
    const configMap = findManifest(rendered, 'ConfigMap', `${RELEASE}-roomban-operator-dashboard`);
    assert.equal(configMap.metadata.labels?.grafana_dashboard, '1');
    const data = (configMap as unknown as { data: Record<string, string> }).data;
    const json = data['roomban-operator.json'] ?? '';
    assert.deepEqual(JSON.parse(json), JSON.parse(readFileSync(join(CHART_DIR, 'dashboards', 'roomban-operator.json'), 'utf8')));
  });

  it('the dashboard shows calls and users removed per vendor, limiter wait, queue depth and reconcile errors, from series the operator exports', async () => {
    const dashboard = JSON.parse(readFileSync(join(CHART_DIR, 'dashboards', 'roomban-operator.json'), 'utf8')) as Dashboard;
    assert.ok(dashboard.templating.list.some((v) => v.name === 'datasource' && v.type === 'datasource'), 'a datasource variable, so it imports into any Grafana');
    const exprs = dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => ({ panel: p.title, expr: t.expr })));
    const reads = (metric: string, by?: string): boolean =>
      exprs.some((e) => e.expr.includes(metric) && (by === undefined || new RegExp(`by \\([^)]*\\b${by}\\b`).test(e.expr)));
    assert.ok(reads('roomban_vendor_calls_total', 'vendor'), 'vendor calls per vendor');
    assert.ok(reads('roomban_users_removed_total', 'vendor'), 'users removed per vendor');
    assert.ok(reads('roomban_vendor_limiter_wait_seconds_bucket', 'vendor'), 'limiter wait per vendor');
    assert.ok(reads('roomban_workqueue_depth'), 'queue depth');
    assert.ok(exprs.some((e) => e.expr.includes('roomban_reconcile_total') && e.expr.includes('result!="success"')), 'reconcile errors');
    const exported = await operatorSeries();
    for (const { panel, expr } of exprs) {
      for (const name of seriesIn(expr)) assert.ok(exported.has(name), `panel "${panel}" reads ${name}, which the operator does not export`);
    }
    // Prometheus' parser judges every query, with Grafana's variables as Grafana substitutes them.
    const recording = {
      groups: [{
        name: 'dashboard',
        rules: exprs.map((e, i) => ({
          record: `dashboard:query:${i}`,
          expr: e.expr.replaceAll('$__rate_interval', '5m').replaceAll('$namespace', '.*').replaceAll('$job', '.*'),
        })),
      }],
    };
    const file = join(dir, 'dashboard-queries.yaml');
    writeFileSync(file, stringify(recording));
    const out = await run(['check', 'rules', file]);
    assert.match(out, new RegExp(`SUCCESS: ${exprs.length} rules found`));
  });
});
