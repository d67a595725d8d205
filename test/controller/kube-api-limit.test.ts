// KubeApi's maxInFlight against the real API server: at most that many of its requests are on the
// wire at once (counted by an undici interceptor under the client), the others wait their turn and
// all succeed. Without the limit the same burst puts many more on the wire, so the count can fail.

import assert from 'node:assert/strict';
import { KubeConfig } from '@kubernetes/client-node';
import type { Dispatcher } from 'undici';
import type { RoomBan } from '../../src/api/types.ts';
import { KubeApi } from '../../src/controller/kube-api.ts';
import { PooledKubeConfig } from '../../src/controller/pooled-kube-config.ts';
import { Fixtures } from '../../support/fixtures.ts';
import { freshNamespace, installCrds, testCluster } from '../harness/cluster.ts';

type RequestContext = Parameters<KubeConfig['applySecurityAuthentication']>[0];

/** Pooled connections, with every request counted from dispatch to the end of its response. */
class CountingKubeConfig extends PooledKubeConfig {
  onWire = 0;
  most = 0;
  readonly #wrapped = new WeakMap<object, Dispatcher>();

  override async applySecurityAuthentication(context: RequestContext): Promise<void> {
    await super.applySecurityAuthentication(context);
    const dispatcher = context.getDispatcher() as Dispatcher | undefined;
    if (dispatcher === undefined) return;
    let counting = this.#wrapped.get(dispatcher);
    if (counting === undefined) {
      counting = dispatcher.compose((dispatch) => (options, handler) => {
        this.onWire += 1;
        this.most = Math.max(this.most, this.onWire);
        return dispatch(options, new Ended(handler, () => (this.onWire -= 1)));
      });
      this.#wrapped.set(dispatcher, counting);
    }
    context.setDispatcher(counting as never);
  }

  static fromConfig(source: KubeConfig): CountingKubeConfig {
    const counting = new CountingKubeConfig();
    counting.loadFromOptions({ clusters: source.clusters, users: source.users, contexts: source.contexts, currentContext: source.currentContext });
    return counting;
  }
}

/** Passes everything to `handler` and says once when the response has ended, or failed. */
class Ended implements Dispatcher.DispatchHandler {
  readonly #handler: Dispatcher.DispatchHandler;
  readonly #ended: () => void;
  #done = false;

  constructor(handler: Dispatcher.DispatchHandler, ended: () => void) {
    this.#handler = handler;
    this.#ended = ended;
  }

  onRequestStart(...args: Parameters<NonNullable<Dispatcher.DispatchHandler['onRequestStart']>>): void {
    this.#handler.onRequestStart?.(...args);
  }

  onRequestUpgrade(...args: Parameters<NonNullable<Dispatcher.DispatchHandler['onRequestUpgrade']>>): void {
    this.#handler.onRequestUpgrade?.(...args);
  }

  onResponseStart(...args: Parameters<NonNullable<Dispatcher.DispatchHandler['onResponseStart']>>): void {
    this.#handler.onResponseStart?.(...args);
  }

  onResponseData(...args: Parameters<NonNullable<Dispatcher.DispatchHandler['onResponseData']>>): void {
    this.#handler.onResponseData?.(...args);
  }

  onResponseEnd(...args: Parameters<NonNullable<Dispatcher.DispatchHandler['onResponseEnd']>>): void {
    this.#end();
    this.#handler.onResponseEnd?.(...args);
  }

  onResponseError(...args: Parameters<NonNullable<Dispatcher.DispatchHandler['onResponseError']>>): void {
    this.#end();
    this.#handler.onResponseError?.(...args);
  }

  #end(): void {
    if (this.#done) return;
    this.#done = true;
    this.#ended();
  }
}

describe('KubeApi maxInFlight (real API server)', function () {
  this.timeout(120_000);
  let ns: string;
  let bans: RoomBan[];
  let admin: KubeConfig;

  before(async () => {
    const cluster = await testCluster();
    await installCrds(cluster);
    admin = cluster.admin;
    ns = await freshNamespace(cluster);
    const fx = new Fixtures(admin);
    bans = await Promise.all(Array.from({ length: 30 }, (_, i) => fx.ban(ns, `b${i}`, { providerRef: { name: 'p' }, roomId: `r${i}`, users: ['u'] })));
  });

  const burst = (api: KubeApi) => Promise.all(bans.flatMap((ban) => [api.getRoomBan(ns, ban.metadata.name), api.getRoomBan(ns, ban.metadata.name)]));

  it('with maxInFlight 3, 60 reads at once are never more than 3 on the wire, and all succeed', async () => {
    const config = CountingKubeConfig.fromConfig(admin);
    const read = await burst(new KubeApi(config, { maxInFlight: 3 }));
    assert.equal(read.filter((ban) => ban?.metadata.namespace === ns).length, 60);
    assert.equal(config.onWire, 0);
    assert.ok(config.most <= 3, `${config.most} on the wire at once`);
    assert.ok(config.most >= 2, `the burst overlapped at all (${config.most})`);
  });

  it('without it, the same burst puts more than 3 on the wire at once (the count can fail)', async () => {
    const config = CountingKubeConfig.fromConfig(admin);
    await burst(new KubeApi(config));
    assert.ok(config.most > 3, `${config.most} on the wire at once`);
  });
});
