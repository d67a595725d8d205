// What the recorded user results are results for. Results obtained for one room at one account say
// nothing about another, so a target change makes every user Pending again (design.md §4).

import type { BanTarget, RoomBan, RoomBanSpec } from '../api/types.ts';
import { PAUSED_ANNOTATION } from '../api/types.ts';

/** The target `spec` names at the provider's `account` (e.g. "tencentTRTC/1400000001"), with API defaults applied. */
export function targetFor(spec: RoomBanSpec, account: string): BanTarget {
  return {
    providerKind: spec.providerRef.kind ?? 'RoomProvider',
    providerName: spec.providerRef.name,
    account,
    roomId: spec.roomId,
    roomIdType: spec.roomIdType ?? 'String',
  };
}

export function targetsEqual(a: BanTarget | undefined, b: BanTarget | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.account === b.account && sameSpecPart(a, b);
}

/**
 * Whether `recorded` can still be the target of `spec` when the account is unknown (the provider is
 * missing): every part the spec names is unchanged.
 */
export function targetMatchesSpec(recorded: BanTarget | undefined, spec: RoomBanSpec): boolean {
  return recorded !== undefined && sameSpecPart(recorded, targetFor(spec, recorded.account));
}

/** The roomban.io/paused annotation is set to "true". */
export function isPaused(ban: RoomBan): boolean {
  return ban.metadata.annotations?.[PAUSED_ANNOTATION] === 'true';
}

function sameSpecPart(a: BanTarget, b: BanTarget): boolean {
  return a.providerKind === b.providerKind && a.providerName === b.providerName && a.roomId === b.roomId && a.roomIdType === b.roomIdType;
}
