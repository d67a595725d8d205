// A RoomProvider's or ClusterRoomProvider's status: one Ready condition saying whether RoomBans can
// use it (Secret found, keys present and well-formed, region and endpoint usable), with the
// generation it describes. Pure: the controller inspects the provider and passes the verdict and `now`.

import type { RoomProviderStatus } from '../api/types.ts';
import { MAX_CONDITION_MESSAGE_CHARS } from '../api/bounds.ts';
import { truncateChars } from '../common/text.ts';
import { READY, setCondition } from './conditions.ts';

export type ProviderReadyReason = 'CredentialsFound';
export type ProviderNotReadyReason =
  | 'SecretNotFound'
  | 'SecretNotReadable'
  | 'CredentialsInvalid'
  | 'UnknownRegion'
  | 'InvalidEndpoint'
  | 'EndpointNotAllowed'
  | 'InvalidSpec';

export type ProviderVerdict =
  | { ready: true; reason: ProviderReadyReason; message: string }
  | { ready: false; reason: ProviderNotReadyReason; message: string };

/** `previous` with Ready set from `verdict` for `generation`; lastTransitionTime kept unless Ready flips. */
export function providerStatus(previous: RoomProviderStatus | undefined, verdict: ProviderVerdict, generation: number, now: string): RoomProviderStatus {
  const condition = {
    type: READY,
    status: verdict.ready ? 'True' as const : 'False' as const,
    reason: verdict.reason,
    message: truncateChars(verdict.message, MAX_CONDITION_MESSAGE_CHARS),
    observedGeneration: generation,
  };
  return { ...previous, observedGeneration: generation, conditions: setCondition(previous?.conditions ?? [], condition, now) };
}
