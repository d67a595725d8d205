// Vendor simulators: real HTTP servers speaking each vendor's protocol, for tests, benchmarks and
// `roomban sandbox`. Each one verifies every request's signature the way the vendor does,
// enforces the per-second cap, keeps room membership, records every call and injects faults.
//
// API (the same for all three; see ./types.ts for the exact shapes):
//
//   const sim = await startTrtcSimulator({
//     accounts: [{ sdkAppId: 1400000001, secretId: 'AKID...', secretKey: '...', token?: '...' }],
//     requestsPerSecond?: 20,      // default: the documented cap; Infinity lifts it
//     burst?: number,              // back-to-back allowance after idling; default = requestsPerSecond
//     seed?: 1,                    // PRNG seed for faults and RequestIds
//     tls?: { key, cert },         // serve https instead of http
//     now?: () => number,          // simulator clock (signature freshness)
//   });
//   sim.url                        // "http://127.0.0.1:PORT": pass as the provider's endpoint
//   sim.addMembers('room-1', ['alice', 'bob'], { account?: 1400000001, roomIdType?: 'Numeric' });
//   sim.members('room-1')          // ['alice', 'bob'] (sorted); [] once the room is gone
//   sim.calls                      // SimulatorCall[]: vendor, action, account, roomId, userIds,
//                                  //   code ('' = success), httpStatus, requestId, time, fault?
//   sim.clearCalls()
//   sim.faults.set({ latencyMs: 20, probabilities: { serverError: 0.1, reset: 0.05 }, retryAfterSeconds: 2 });
//   sim.faults.next('timeout', 3)  // the next 3 requests are never answered
//   sim.faults.clear(); sim.faults.injected
//   sim.rateLimitRejections        // requests refused by the cap (injected faults not counted)
//   sim.setRequestsPerSecond(Infinity)
//   await sim.close()
//
// Fault kinds: rateLimit, internalError, authExpired (vendor answers, after authentication);
// serverError (503), tooManyRequests (429), reset (RST), timeout (never answered), malformedJson.
//
//   startChatSimulator({ accounts: [{ sdkAppId, secretKey, adminIdentifier? }], absentBatchBehaviour?, bannedListCursor? })
//   startVolcengineSimulator({ accounts: [{ accessKeyId, secretAccessKey, sessionToken?, appIds }], region?, repeatBan? })
//
// Chat and Volcengine also serve their ban APIs (docs/vendors.md#bans), each action at its own
// documented cap, and offer test-facing controls (BanningSimulator), not part of the vendor's API:
//   sim.joinUser('room-1', 'alice')          // { joined: false, bannedUntilMs } while banned
//   sim.liftBanOutOfBand('room-1', 'alice')  // drift: the ban is gone, nobody called us
//   sim.bans('room-1')                       // [{ userId, bannedUntilMs }] in force (simulator clock)
//   startAllSimulators(options?) -> { trtc, chat, volcengine, providerConfigs(), close() }
//
// Vendor behaviour the docs leave open is decided in each simulator's header comment.

import type { ProviderConfig } from '../vendors/index.ts';
import { startChatSimulator, type ChatSimulator, type ChatSimulatorAccount, type ChatSimulatorOptions } from './chat-simulator.ts';
import { startTrtcSimulator, type TrtcSimulator, type TrtcSimulatorAccount, type TrtcSimulatorOptions } from './trtc-simulator.ts';
import type { CommonSimulatorOptions } from './types.ts';
import {
  startVolcengineSimulator,
  type VolcengineSimulator,
  type VolcengineSimulatorAccount,
  type VolcengineSimulatorOptions,
} from './volcengine-simulator.ts';

export { startTrtcSimulator, TrtcSimulator, type TrtcSimulatorAccount, type TrtcSimulatorOptions } from './trtc-simulator.ts';
export { startChatSimulator, ChatSimulator, type ChatSimulatorAccount, type ChatSimulatorOptions } from './chat-simulator.ts';
export {
  startVolcengineSimulator,
  VolcengineSimulator,
  type VolcengineSimulatorAccount,
  type VolcengineSimulatorOptions,
} from './volcengine-simulator.ts';
export type {
  BanningSimulator,
  CommonSimulatorOptions,
  JoinAnswer,
  SimulatedBan,
  FaultControl,
  FaultKind,
  FaultSettings,
  RoomOptions,
  SimulatorCall,
  TlsOptions,
  VendorSimulator,
} from './types.ts';
export { FAULT_KINDS } from './types.ts';
export { mulberry32 } from './prng.ts';

/** Credentials the sandbox uses when none are given. Test-only values, not secrets. */
export const SANDBOX_ACCOUNTS = {
  trtc: { sdkAppId: 1400000001, secretId: 'AKIDSANDBOXTRTC', secretKey: 'sandbox-trtc-secret-key' },
  chat: { sdkAppId: 1400000002, secretKey: 'sandbox-chat-app-key', adminIdentifier: 'administrator' },
  volcengine: { accessKeyId: 'AKLTSANDBOXVOLC', secretAccessKey: 'sandbox-volcengine-secret', appIds: ['sandboxapp'] },
} as const satisfies {
  trtc: TrtcSimulatorAccount;
  chat: ChatSimulatorAccount & { adminIdentifier: string };
  volcengine: VolcengineSimulatorAccount;
};

export interface AllSimulatorsOptions extends Omit<CommonSimulatorOptions, 'port' | 'requestsPerSecond' | 'burst'> {
  trtc?: Partial<TrtcSimulatorOptions>;
  chat?: Partial<ChatSimulatorOptions>;
  volcengine?: Partial<VolcengineSimulatorOptions>;
}

export interface AllSimulators {
  trtc: TrtcSimulator;
  chat: ChatSimulator;
  volcengine: VolcengineSimulator;
  /** ProviderConfigs pointing at the simulators, with the default sandbox accounts. */
  providerConfigs(): { tencentTRTC: ProviderConfig; tencentChat: ProviderConfig; volcengineRTC: ProviderConfig };
  close(): Promise<void>;
}

/** Starts the three simulators, each on its own free port, with the sandbox accounts by default. */
export async function startAllSimulators(options: AllSimulatorsOptions = {}): Promise<AllSimulators> {
  const { trtc: trtcOptions, chat: chatOptions, volcengine: volcOptions, ...common } = options;
  const [trtc, chat, volcengine] = await Promise.all([
    startTrtcSimulator({ accounts: [SANDBOX_ACCOUNTS.trtc], ...common, ...trtcOptions }),
    startChatSimulator({ accounts: [SANDBOX_ACCOUNTS.chat], ...common, ...chatOptions }),
    startVolcengineSimulator({ accounts: [SANDBOX_ACCOUNTS.volcengine], ...common, ...volcOptions }),
  ]);
  return {
    trtc,
    chat,
    volcengine,
    providerConfigs: () => ({
      tencentTRTC: {
        vendor: 'tencentTRTC',
        sdkAppId: SANDBOX_ACCOUNTS.trtc.sdkAppId,
        region: 'ap-guangzhou',
        endpoint: trtc.url,
        credentials: { secretId: SANDBOX_ACCOUNTS.trtc.secretId, secretKey: SANDBOX_ACCOUNTS.trtc.secretKey },
      },
      tencentChat: {
        vendor: 'tencentChat',
        sdkAppId: SANDBOX_ACCOUNTS.chat.sdkAppId,
        region: 'singapore',
        adminIdentifier: SANDBOX_ACCOUNTS.chat.adminIdentifier,
        endpoint: chat.url,
        credentials: { secretKey: SANDBOX_ACCOUNTS.chat.secretKey },
      },
      volcengineRTC: {
        vendor: 'volcengineRTC',
        appId: SANDBOX_ACCOUNTS.volcengine.appIds[0],
        region: 'cn-north-1',
        endpoint: volcengine.url,
        credentials: {
          accessKeyId: SANDBOX_ACCOUNTS.volcengine.accessKeyId,
          secretAccessKey: SANDBOX_ACCOUNTS.volcengine.secretAccessKey,
        },
      },
    }),
    close: async () => {
      await Promise.all([trtc.close(), chat.close(), volcengine.close()]);
    },
  };
}
