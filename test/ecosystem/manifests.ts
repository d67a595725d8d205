// RoomBans as a GitOps repository holds them: YAML files, one object per file, no namespace (the
// Flux Kustomization's targetNamespace or the Argo CD Application's destination sets it).

import { stringify } from 'yaml';
import { API_VERSION, PAUSED_ANNOTATION, type RoomBan, type RoomBanSpec } from '../../src/api/types.ts';

export interface BanFile {
  name: string;
  spec: RoomBanSpec;
  paused?: boolean;
}

/** path -> content, for GitRepository.push. */
export function banFiles(bans: BanFile[]): Record<string, string> {
  const files: Record<string, string> = {};
  for (const ban of bans) {
    const metadata = { name: ban.name, ...(ban.paused ? { annotations: { [PAUSED_ANNOTATION]: 'true' } } : {}) };
    files[`roombans/${ban.name}.yaml`] = stringify({ apiVersion: API_VERSION, kind: 'RoomBan', metadata, spec: ban.spec });
  }
  return files;
}

export function spec(provider: string, roomId: string, users: string[]): RoomBanSpec {
  return { providerRef: { name: provider }, roomId, users, reason: 'GitOps test' };
}

/** The status of the ban's Ready condition ("True", "False", "Unknown"), or "" while it is for an older generation. */
export function readyStatus(ban: RoomBan): string {
  if (ban.status?.observedGeneration !== ban.metadata.generation) return '';
  return ban.status?.conditions?.find((c) => c.type === 'Ready')?.status ?? '';
}
