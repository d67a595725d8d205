// `roomban operator`: flags -> OperatorOptions; SIGTERM/SIGINT -> graceful shutdown, exit 0.

import { parseArgs } from 'node:util';
import { parseDurationMs } from '../api/duration.ts';
import { KubeConfig } from '@kubernetes/client-node';
import { parseAllowedHost } from '../controller/endpoint-policy.ts';
import { startOperator } from '../controller/operator.ts';
import { createLogger } from '../observability/logger.ts';

export const OPERATOR_HELP = `Usage: roomban operator [flags]

Runs the RoomBan controller. Uses in-cluster config, or KUBECONFIG / --kubeconfig outside a cluster.

Flags:
  --kubeconfig=<path>                 kubeconfig file (default: in-cluster config, else $KUBECONFIG, else ~/.kube/config)
  --namespaces=<a,b,...>              watch only these namespaces (default: all namespaces)
  --concurrency=<n>                   RoomBans reconciled at once (default: 10)
  --leader-elect                      elect a leader with a coordination.k8s.io Lease, so only one replica calls vendors
  --leader-election-namespace=<ns>    namespace of the Lease (default: $POD_NAMESPACE, else "default")
  --leader-election-id=<name>         name of the Lease (default: roomban-operator)
  --metrics-bind-address=<addr>       Prometheus /metrics address, e.g. ":8080", "127.0.0.1:0"; "0" disables (default: ":8080")
  --health-probe-bind-address=<addr>  /healthz and /readyz address; "0" disables (default: ":8081")
  --allowed-endpoint-hosts=<h[:p],..> honour a provider's spec.<vendor>.endpoint only when it names one of these hosts
                                      ("host" for any port, "host:port" for one); the setting to use outside tests
  --allow-custom-endpoints            honour any provider endpoint (sandboxes and tests only: anyone who can write a
                                      provider could have signed requests sent anywhere); link-local and cloud metadata
                                      addresses are refused under both flags
  --ban-verify-interval=<duration>    how often each ban's bans in force are observed at the vendor, and a ban lifted
                                      out of band is restored for the time left (jittered; "0" disables; default: 10m)
  --log-level=<level>                 debug, info, warn or error (default: info)
  -h, --help                          show this help
`;

export async function operatorCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      kubeconfig: { type: 'string' },
      namespaces: { type: 'string' },
      concurrency: { type: 'string', default: '10' },
      'leader-elect': { type: 'boolean', default: false },
      'leader-election-namespace': { type: 'string' },
      'leader-election-id': { type: 'string', default: 'roomban-operator' },
      'metrics-bind-address': { type: 'string', default: ':8080' },
      'health-probe-bind-address': { type: 'string', default: ':8081' },
      'allow-custom-endpoints': { type: 'boolean', default: false },
      'allowed-endpoint-hosts': { type: 'string' },
      'ban-verify-interval': { type: 'string', default: '10m' },
      'log-level': { type: 'string', default: 'info' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(OPERATOR_HELP);
    return 0;
  }
  const concurrency = Number(values.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new UsageError(`--concurrency must be a positive integer, got "${values.concurrency}"`);
  const level = values['log-level'];
  if (!['debug', 'info', 'warn', 'error'].includes(level)) throw new UsageError(`--log-level must be debug, info, warn or error, got "${level}"`);
  const allowedEndpointHosts = (values['allowed-endpoint-hosts'] ?? '').split(',').map((host) => host.trim()).filter(Boolean);
  for (const host of allowedEndpointHosts) {
    try {
      parseAllowedHost(host);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
  }
  const verify = values['ban-verify-interval'];
  const banVerifyIntervalMs = verify === '0' ? 0 : parseDurationMs(verify);
  if (banVerifyIntervalMs === undefined || (banVerifyIntervalMs > 0 && banVerifyIntervalMs < 1000)) {
    throw new UsageError(`--ban-verify-interval must be a duration of at least 1s (e.g. 10m) or 0 to disable, got "${verify}"`);
  }
  const log = createLogger({ level });
  const kubeConfig = loadKubeConfig(values.kubeconfig);
  const controller = new AbortController();
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => controller.abort());
  const operator = await startOperator({
    kubeConfig,
    namespaces: values.namespaces ? values.namespaces.split(',').map((ns) => ns.trim()).filter(Boolean) : undefined,
    concurrency,
    leaderElect: values['leader-elect'],
    leaderElectionNamespace: values['leader-election-namespace'] ?? process.env.POD_NAMESPACE ?? 'default',
    leaderElectionId: values['leader-election-id'],
    metricsBindAddress: values['metrics-bind-address'],
    healthProbeBindAddress: values['health-probe-bind-address'],
    allowCustomEndpoints: values['allow-custom-endpoints'],
    allowedEndpointHosts,
    banVerifyIntervalMs,
    log,
  }, controller.signal);
  log.info({ metrics: operator.metricsUrl, health: operator.healthUrl }, 'operator started');
  await operator.done;
  return 0;
}

function loadKubeConfig(path: string | undefined): KubeConfig {
  const kc = new KubeConfig();
  if (path) kc.loadFromFile(path);
  else kc.loadFromDefault();
  return kc;
}

export class UsageError extends Error {}
