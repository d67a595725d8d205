// The operator image, built from operator/Dockerfile and run the way the chart runs it: podman +
// runc, the image's own user, a read-only root filesystem with /tmp as the only writable place,
// every capability dropped, no privilege escalation and the chart's memory limit. With the kubeconfig
// of the chart's ServiceAccount it reconciles RoomBans of every vendor against the simulators,
// holds and releases its Lease, answers /readyz and exits 0 on SIGTERM. What fake KWOK pods (the
// Helm tier) cannot show — probes, securityContext, the real process — is shown here.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { chmodSync, copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoordinationV1Api } from '@kubernetes/client-node';
import type { VendorName } from '../../src/api/types.ts';
import { isReady } from '../../support/fixtures.ts';
import { simulatorFor, useOperatorEnv } from '../controller/support.ts';
import { freshNamespace } from '../harness/cluster.ts';
import { operatorContainer, renderChart } from '../packaging/chart.ts';
import { installChartRbac } from '../packaging/chart-rbac.ts';
import { cannotRunContainers, CONTAINERS_CONF, operatorImage, podman, quantityBytes, removeContainer, trackContainer } from './image.ts';
import { type Daemon, eventually, startDaemon } from './support.ts';

const VENDORS: VendorName[] = ['tencentTRTC', 'tencentChat', 'volcengineRTC'];

interface ChartPod {
  memoryLimit: number;
  runAsUser: number;
  tmpSizeLimit: string;
}

async function chartPod(): Promise<ChartPod> {
  const manifests = await renderChart();
  const container = operatorContainer(manifests);
  const limits = (container.resources as { limits: { memory: string } }).limits;
  const deployment = manifests.find((m) => m.kind === 'Deployment') as unknown as {
    spec: { template: { spec: { securityContext: { runAsUser: number }; volumes: { name: string; emptyDir?: { sizeLimit?: string } }[] } } };
  };
  const pod = deployment.spec.template.spec;
  return {
    memoryLimit: quantityBytes(limits.memory),
    runAsUser: pod.securityContext.runAsUser,
    tmpSizeLimit: pod.volumes.find((v) => v.emptyDir)?.emptyDir?.sizeLimit ?? '64Mi',
  };
}

/** podman run flags equivalent to the chart's pod and container security settings. */
function restrictedFlags(pod: ChartPod): string[] {
  return [
    '--read-only', `--tmpfs=/tmp:rw,mode=1777,size=${quantityBytes(pod.tmpSizeLimit)}`,
    '--cap-drop=ALL', '--security-opt=no-new-privileges', `--memory=${pod.memoryLimit}`, `--memory-swap=${pod.memoryLimit}`,
  ];
}

describe('the operator image (buildah build of operator/Dockerfile, run with podman + runc)', function () {
  this.timeout(180_000);
  const why = cannotRunContainers();
  let image = '';
  let pod: ChartPod;
  let dir = '';

  before(async function () {
    // A cold build makes the base stand-in (Debian minbase + Node) and runs npm ci twice.
    this.timeout(1_200_000);
    if (why) throw new Error(`the image tier cannot run here: ${why}`);
    const result = await operatorImage();
    image = result.image;
    pod = await chartPod();
    dir = mkdtempSync(join(tmpdir(), 'roomban-image-'));
    const size = await podman(['image', 'inspect', '--format', '{{.Size}}', image]);
    console.log(`      image ${image}: ${(Number(size.stdout.trim()) / 1e6).toFixed(0)} MB${result.built ? `, built in ${result.seconds} s` : ' (reused)'}`);
  });
  after(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('runs as UID/GID 65532 (the chart\'s runAsUser) with no capabilities, a read-only root, a writable /tmp and the memory limit enforced', async () => {
    assert.equal(pod.runAsUser, 65532);
    const probe = [
      "const fs = require('node:fs');",
      "const tryWrite = (p) => { try { fs.writeFileSync(p, 'x'); return 'ok'; } catch (e) { return e.code; } };",
      "const status = fs.readFileSync('/proc/self/status', 'utf8');",
      "const field = (k) => new RegExp('^' + k + ':\\\\s*(.*)$', 'm').exec(status)[1].trim();",
      "const read = (p) => { try { return fs.readFileSync(p, 'utf8').trim(); } catch { return ''; } };",
      'console.log(JSON.stringify({ uid: process.getuid(), gid: process.getgid(), pid: process.pid, capEff: field("CapEff"), capBnd: field("CapBnd"), noNewPrivs: field("NoNewPrivs"),',
      "  app: tryWrite('/app/x'), root: tryWrite('/x'), tmp: tryWrite('/tmp/x'), home: process.env.HOME,",
      "  memory: read('/sys/fs/cgroup/memory.max') || read('/sys/fs/cgroup/memory/memory.limit_in_bytes') }));",
    ].join('\n');
    const name = `rb-probe-${randomBytes(4).toString('hex')}`;
    trackContainer(name);
    const result = await podman(['run', '--rm', `--name=${name}`, '--network=none', ...restrictedFlags(pod), '--entrypoint=node', image, '-e', probe]);
    await removeContainer(name);
    assert.equal(result.code, 0, result.stderr);
    const seen = JSON.parse(result.stdout) as Record<string, string | number>;
    assert.deepEqual(
      { uid: seen.uid, gid: seen.gid, pid: seen.pid, capEff: seen.capEff, capBnd: seen.capBnd, noNewPrivs: seen.noNewPrivs, app: seen.app, root: seen.root, tmp: seen.tmp, home: seen.home },
      { uid: 65532, gid: 65532, pid: 1, capEff: '0000000000000000', capBnd: '0000000000000000', noNewPrivs: '1', app: 'EROFS', root: 'EROFS', tmp: 'ok', home: '/tmp' },
    );
    assert.equal(Number(seen.memory), pod.memoryLimit, 'the cgroup memory limit is the chart\'s');
  });

  it('is killed when it exceeds the chart\'s memory limit (the limit is enforced, not just set)', async () => {
    const name = `rb-oom-${randomBytes(4).toString('hex')}`;
    trackContainer(name);
    // NODE_OPTIONS caps the V8 heap at 160 MB; Buffers live outside it, so this reaches the cgroup limit.
    const result = await podman(['run', '--rm', `--name=${name}`, '--network=none', ...restrictedFlags(pod), '--entrypoint=node', image,
      '-e', 'const kept = []; for (let i = 0; i < 64; i++) kept.push(Buffer.alloc(16 * 1024 * 1024, 1)); console.log("survived", kept.length)']);
    await removeContainer(name);
    assert.equal(result.code, 137, `expected an OOM kill (137), got ${result.code}: ${result.stdout}${result.stderr}`);
  });

  it('ships production dependencies without type declarations or their source maps, dist/ and crds/, owned by root', async () => {
    const name = `rb-ls-${randomBytes(4).toString('hex')}`;
    trackContainer(name);
    const script = [
      'set -e',
      'test -f /app/dist/cli/main.js && test -f /app/crds/roomban.io_roombans.yaml',
      'for p in typescript mocha @types/mocha tencentcloud-sdk-nodejs; do test ! -e /app/node_modules/$p || echo "dev dependency $p"; done',
      'find /app/node_modules -name "*.d.ts" -o -name "*.map" | head -3',
      'find /app -user 65532 | head -3',
    ].join('\n');
    const result = await podman(['run', '--rm', `--name=${name}`, '--network=none', '--read-only', '--entrypoint=sh', image, '-c', script]);
    await removeContainer(name);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout.trim(), '', 'no dev dependencies, no .d.ts or .map under node_modules, nothing owned by the operator user');
  });

  describe("with the chart's ServiceAccount against the test control plane and the simulators", () => {
    const env = useOperatorEnv();
    let container: Daemon | undefined;
    let containerName = '';

    afterEach(async () => {
      await container?.stop(5_000);
      container = undefined;
      if (containerName) await removeContainer(containerName);
    });

    it('reconciles a RoomBan of every vendor to Ready, holds the Lease, answers /readyz, and on SIGTERM releases the Lease and exits 0', async () => {
      const release = await freshNamespace(env.cluster, 'rel');
      const work = await freshNamespace(env.cluster);
      const rbac = await installChartRbac(env.cluster, { namespace: release, leaderElection: true });
      assert.ok(rbac.leaseName);
      // The container's user must read the kubeconfig: a copy, readable by all, in a private directory.
      const kubeconfig = join(dir, `${release}.kubeconfig`);
      copyFileSync(rbac.kubeconfigPath, kubeconfig);
      chmodSync(kubeconfig, 0o444);
      // The chart's exact container args, with the release's values, then ours (the last flag wins):
      // loopback ports (the container shares the host network to reach the API server and the
      // simulators), the test namespace, and custom endpoints for the simulators.
      const manifests = await renderChart({ release: rbac.release, namespace: release, values: { 'leaderElection.enabled': true, allowCustomEndpoints: true } });
      const args = operatorContainer(manifests).args ?? [];
      assert.equal(args[0], 'operator');
      containerName = `rb-operator-${randomBytes(4).toString('hex')}`;
      trackContainer(containerName);
      container = startDaemon('podman run', 'podman', [
        'run', '--rm', `--name=${containerName}`, `--hostname=${containerName}`, '--network=host', ...restrictedFlags(pod),
        `--env=POD_NAMESPACE=${release}`, `--volume=${kubeconfig}:/etc/roomban/kubeconfig:ro`,
        image, ...args, '--kubeconfig=/etc/roomban/kubeconfig', `--namespaces=${work}`,
        '--metrics-bind-address=127.0.0.1:0', '--health-probe-bind-address=127.0.0.1:0',
      ], join(dir, `${containerName}.log`), { CONTAINERS_CONF });
      const started = await eventually('"operator started" in the container log', async () => {
        if (container?.child.exitCode !== null) throw new Error(`podman run exited ${container?.child.exitCode}:\n${container?.log()}`);
        const line = container.log(100_000).split('\n').find((l) => l.includes('"msg":"operator started"'));
        return line ? (JSON.parse(line) as { health: string; metrics: string }) : undefined;
      }, 60_000);

      const ready = await eventually('/readyz 200', async () => {
        const response = await fetch(`${started.health}/readyz`);
        return response.status === 200 ? await response.text() : undefined;
      });
      assert.ok(ready.length > 0);
      const leases = env.cluster.admin.makeApiClient(CoordinationV1Api);
      const held = await eventually('the Lease held by the container', async () => {
        const lease = await leases.readNamespacedLease({ name: rbac.leaseName!, namespace: release });
        return lease.spec?.holderIdentity ? lease : undefined;
      });
      assert.equal(held.spec?.holderIdentity, `${containerName}_1`, 'hostname_pid: the operator is pid 1 of its container');

      for (const vendor of VENDORS) {
        const sim = simulatorFor(env, vendor);
        const provider = await env.fx.vendorProvider(work, vendor, sim.url);
        sim.addMembers(`img-${work}`, ['m1', 'm2']);
        await env.fx.ban(work, provider, { providerRef: { name: provider }, roomId: `img-${work}`, users: ['m1', 'm2'], reason: 'image test' });
      }
      for (const vendor of VENDORS) {
        const ban = await env.fx.waitForBan(work, vendor.toLowerCase(), isReady);
        assert.deepEqual(ban.status?.users?.map((u) => u.state), ['Removed', 'Removed'], vendor);
        assert.ok(ban.status?.users?.every((u) => (u.requestId ?? '') !== ''), `${vendor}: every user's RequestId is recorded`);
        assert.deepEqual(simulatorFor(env, vendor).members(`img-${work}`), [], `${vendor}: the simulator's room is empty`);
      }
      const metrics = await (await fetch(`${started.metrics}/metrics`)).text();
      assert.match(metrics, /^roomban_leader 1$/m);

      const kill = await podman(['kill', '--signal=TERM', containerName]);
      assert.equal(kill.code, 0, kill.stderr);
      const code = await container.exited;
      const log = container.log(100_000);
      container = undefined;
      assert.equal(code, 0, `the container exited ${code} on SIGTERM:\n${log.slice(-3000)}`);
      const released = await leases.readNamespacedLease({ name: rbac.leaseName!, namespace: release });
      assert.equal(released.spec?.holderIdentity ?? '', '', 'the Lease is released on shutdown');
      assert.doesNotMatch(log, /forbidden|"code":403|EROFS|EACCES/i);
    });
  });
});

