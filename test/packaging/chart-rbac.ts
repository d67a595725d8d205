// Installs exactly the Helm chart's RBAC (ServiceAccount, Roles, ClusterRoles, bindings) on the
// test control plane and hands back a kubeconfig holding that ServiceAccount's token, so a test
// can run kubectl -- or the real operator -- with precisely the permissions the chart grants.

import { randomBytes } from 'node:crypto';
import type { TestCluster } from '../harness/cluster.ts';
import { type Manifest, parseManifests, helmTemplateArgs, toYamlStream } from './chart.ts';

export const RBAC_KINDS: ReadonlySet<string> = new Set(['ServiceAccount', 'ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding']);

export interface ChartRbacOptions {
  /** The release namespace: where the ServiceAccount (and by default the Lease) lives. */
  namespace: string;
  /** Namespace-scoped mode when set (the chart's watchNamespaces). Empty: cluster-wide. */
  watchNamespaces?: string[];
  /** The chart's rbac.secretNamespaces. */
  secretNamespaces?: string[];
  /** Render the leader-election Role (leaderElection.enabled). */
  leaderElection?: boolean;
  leaderElectionNamespace?: string;
  /** Release name; a random one by default so cluster-scoped names never collide. */
  release?: string;
  /** More chart values (`--set-json`). */
  values?: Record<string, unknown>;
  /** Token lifetime; one hour by default. */
  tokenDuration?: string;
}

export interface ChartRbac {
  release: string;
  namespace: string;
  serviceAccount: string;
  /** system:serviceaccount:<namespace>:<name> */
  username: string;
  /** The Lease the chart's Role allows and passes as --leader-election-id; undefined without leader election. */
  leaseName: string | undefined;
  token: string;
  /** A kubeconfig for the ServiceAccount's token: pass it to kubectl, or to `roomban operator --kubeconfig`. */
  kubeconfigPath: string;
  /** The RBAC objects that were applied. */
  manifests: Manifest[];
}

export async function installChartRbac(cluster: TestCluster, options: ChartRbacOptions): Promise<ChartRbac> {
  const release = options.release ?? `rbac-${randomBytes(4).toString('hex')}`;
  const values: Record<string, unknown> = { ...options.values };
  if (options.watchNamespaces) values.watchNamespaces = options.watchNamespaces;
  if (options.secretNamespaces) values['rbac.secretNamespaces'] = options.secretNamespaces;
  if (options.leaderElection !== undefined) values['leaderElection.enabled'] = options.leaderElection;
  if (options.leaderElectionNamespace) values['leaderElection.namespace'] = options.leaderElectionNamespace;

  const rendered = await cluster.helm(helmTemplateArgs({ release, namespace: options.namespace, values }));
  if (rendered.code !== 0) throw new Error(`helm template failed: ${rendered.stderr}`);
  const all = parseManifests(rendered.stdout);
  const manifests = all.filter((m) => RBAC_KINDS.has(m.kind));
  const applied = await cluster.kubectl(['apply', '-f', '-'], { input: toYamlStream(manifests) });
  if (applied.code !== 0) throw new Error(`applying the chart's RBAC failed: ${applied.stderr}`);

  const serviceAccount = manifests.find((m) => m.kind === 'ServiceAccount')?.metadata.name;
  if (!serviceAccount) throw new Error('the chart rendered no ServiceAccount');
  const leaseArg = operatorArg(all, '--leader-election-id=');
  const created = await cluster.kubectl(['create', 'token', serviceAccount, '-n', options.namespace, `--duration=${options.tokenDuration ?? '1h'}`]);
  if (created.code !== 0) throw new Error(`kubectl create token failed: ${created.stderr}`);
  const token = created.stdout.trim();
  return {
    release,
    namespace: options.namespace,
    serviceAccount,
    username: `system:serviceaccount:${options.namespace}:${serviceAccount}`,
    leaseName: leaseArg,
    token,
    kubeconfigPath: cluster.local.writeTokenKubeconfig(`${release}-${serviceAccount}`, token),
    manifests,
  };
}

function operatorArg(manifests: Manifest[], prefix: string): string | undefined {
  const deployment = manifests.find((m) => m.kind === 'Deployment') as { spec?: { template?: { spec?: { containers?: { args?: string[] }[] } } } } | undefined;
  const args = deployment?.spec?.template?.spec?.containers?.[0]?.args ?? [];
  return args.find((arg) => arg.startsWith(prefix))?.slice(prefix.length);
}
