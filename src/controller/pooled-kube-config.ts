// @kubernetes/client-node 2.0.1 builds a new undici Agent for every request
// (KubeConfig.createDispatcher is not cached, unlike its https.Agent cache), so each API call pays
// a fresh TCP connection and TLS handshake. Under load that handshake is most of the operator's and
// the API server's CPU. This KubeConfig keeps one keep-alive dispatcher per context instead.

import { KubeConfig } from '@kubernetes/client-node';

/** The request type KubeConfig.applySecurityAuthentication receives (not re-exported by the package). */
type RequestContext = Parameters<KubeConfig['applySecurityAuthentication']>[0];

type Dispatcher = NonNullable<ReturnType<RequestContext['getDispatcher']>>;

export class PooledKubeConfig extends KubeConfig {
  readonly #dispatchers = new Map<string, Dispatcher>();

  /** The same clusters, users and contexts as `source`, with pooled connections. */
  static from(source: KubeConfig): PooledKubeConfig {
    const pooled = new PooledKubeConfig();
    pooled.loadFromOptions({ clusters: source.clusters, users: source.users, contexts: source.contexts, currentContext: source.currentContext });
    return pooled;
  }

  override async applySecurityAuthentication(context: RequestContext): Promise<void> {
    await super.applySecurityAuthentication(context);
    const fresh = context.getDispatcher();
    if (fresh === undefined) return;
    const pooled = this.#dispatchers.get(this.currentContext);
    if (pooled) context.setDispatcher(pooled);
    else this.#dispatchers.set(this.currentContext, fresh);
  }
}
