// A KubeConfig whose requests ask the API server for object metadata only (PartialObjectMetadata),
// the way client-go's metadata informers do. The operator watches Secrets through it: it must see
// every Secret a provider might name appear, change and go, but must not hold their data. A
// tenant's thousand large Secrets then cost the operator their metadata, about a kilobyte each.

import { KubeConfig } from '@kubernetes/client-node';

type RequestContext = Parameters<KubeConfig['applySecurityAuthentication']>[0];

/** Lists come back as PartialObjectMetadataList; watch events (and single objects) as PartialObjectMetadata. */
const LIST = 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1';
const OBJECT = 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1';

export class MetadataKubeConfig extends KubeConfig {
  readonly #base: KubeConfig;

  /** The same clusters and users as `base`, authenticating (and pooling connections) through it. */
  constructor(base: KubeConfig) {
    super();
    this.#base = base;
    this.loadFromOptions({ clusters: base.clusters, users: base.users, contexts: base.contexts, currentContext: base.currentContext });
  }

  override async applySecurityAuthentication(context: RequestContext): Promise<void> {
    await this.#base.applySecurityAuthentication(context);
    const url = new URL(context.getUrl());
    const list = url.searchParams.get('watch') !== 'true' && !/\/secrets\/[^/]+$/.test(url.pathname);
    context.setHeaderParam('Accept', list ? LIST : OBJECT);
  }
}
