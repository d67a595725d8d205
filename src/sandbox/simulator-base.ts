// What every vendor simulator does the same way: the seeded PRNG and fault injector, the
// per-second cap, room membership, and the HTTP server's lifecycle and call log. A subclass
// speaks one vendor's protocol (describe/answer) and decides how its rooms are addressed
// (accountOf/roomIdTypeOf).

import type { RoomIdType, VendorName } from '../api/types.ts';
import { FaultInjector } from './faults.ts';
import { mulberry32, type Random } from './prng.ts';
import { RateCap } from './rate-cap.ts';
import { RoomDirectory } from './rooms.ts';
import { SimulatorServer } from './simulator-server.ts';
import type { CallDescription, SimRequest, SimulatorHandler, VendorFault, VendorReply } from './simulator-server.ts';
import type {
  BanningSimulator,
  CommonSimulatorOptions,
  JoinAnswer,
  RoomOptions,
  SimulatedBan,
  SimulatorCall,
  VendorSimulator,
} from './types.ts';
import { BanBook } from './ban-book.ts';

export interface SimulatorDefaults {
  /** The removal action's documented per-second cap, used when the options set none (other actions pass their own to cap.admit). */
  documentedCap: number;
  /** The function to name when the simulator is used before it listens, e.g. "startTrtcSimulator". */
  startFunction: string;
}

/** Starts `simulator` listening as `options` say; resolves to it once it does. */
export async function listening<S extends SimulatorBase>(simulator: S, options: CommonSimulatorOptions): Promise<S> {
  await simulator.listen(options);
  return simulator;
}

export abstract class SimulatorBase implements VendorSimulator, SimulatorHandler {
  abstract readonly vendor: VendorName;
  readonly faults: FaultInjector;
  protected readonly now: () => number;
  /** For RequestIds; the fault injector draws from a stream of its own (same seed, mixed). */
  protected readonly random: Random;
  protected readonly rooms = new RoomDirectory();
  protected readonly cap: RateCap;
  readonly #startFunction: string;
  #server: SimulatorServer | undefined;

  constructor(options: CommonSimulatorOptions, defaults: SimulatorDefaults) {
    this.#startFunction = defaults.startFunction;
    this.now = options.now ?? Date.now;
    const seed = options.seed ?? 1;
    this.random = mulberry32(seed);
    this.faults = new FaultInjector(mulberry32(seed ^ 0x5bd1e995));
    this.cap = new RateCap({
      requestsPerSecond: options.requestsPerSecond ?? defaults.documentedCap,
      overridden: options.requestsPerSecond !== undefined,
      ...(options.burst !== undefined ? { burst: options.burst } : {}),
      now: this.now,
    });
  }

  async listen(options: CommonSimulatorOptions): Promise<void> {
    this.#server = await SimulatorServer.start({
      vendor: this.vendor,
      handler: this,
      faults: this.faults,
      now: this.now,
      ...(options.host !== undefined ? { host: options.host } : {}),
      ...(options.port !== undefined ? { port: options.port } : {}),
      ...(options.tls !== undefined ? { tls: options.tls } : {}),
    });
  }

  get url(): string {
    return this.#requireServer().url;
  }

  get port(): number {
    return this.#requireServer().port;
  }

  get calls(): readonly SimulatorCall[] {
    return this.#requireServer().calls;
  }

  get rateLimitRejections(): number {
    return this.cap.rejections;
  }

  /** Sets every action's cap (overriding the documented ones); Infinity lifts them. */
  setRequestsPerSecond(requestsPerSecond: number): void {
    this.cap.setRequestsPerSecond(requestsPerSecond);
  }

  clearCalls(): void {
    this.#requireServer().calls.length = 0;
  }

  async close(): Promise<void> {
    await this.#server?.close();
  }

  addMembers(roomId: string, userIds: readonly string[], options: RoomOptions = {}): void {
    this.rooms.add(this.accountOf(options), roomId, this.roomIdTypeOf(options), userIds);
  }

  members(roomId: string, options: RoomOptions = {}): string[] {
    return this.rooms.members(this.accountOf(options), roomId, this.roomIdTypeOf(options));
  }

  /** The account a room belongs to: the one named, else the simulator's first. */
  protected abstract accountOf(options: RoomOptions): string;

  /** Rooms are string rooms unless the vendor tells numeric ones apart (only TRTC does). */
  protected roomIdTypeOf(_options: RoomOptions): RoomIdType {
    return 'String';
  }

  abstract describe(request: SimRequest): CallDescription;

  abstract answer(request: SimRequest, fault: VendorFault | undefined, retryAfterSeconds: number | undefined): VendorReply;

  #requireServer(): SimulatorServer {
    if (this.#server === undefined) throw new Error(`simulator is not listening; use ${this.#startFunction}()`);
    return this.#server;
  }
}

/**
 * A simulator whose vendor can ban (Chat, Volcengine): room membership plus bans on the simulator's
 * clock, and the test-facing controls of BanningSimulator. Rooms here are string rooms.
 */
export abstract class BanningSimulatorBase extends SimulatorBase implements BanningSimulator {
  protected readonly banBook: BanBook;

  constructor(options: CommonSimulatorOptions, defaults: SimulatorDefaults) {
    super(options, defaults);
    this.banBook = new BanBook(this.now);
  }

  joinUser(roomId: string, userId: string, options: RoomOptions = {}): JoinAnswer {
    const account = this.accountOf(options);
    const bannedUntilMs = this.banBook.bannedUntil(account, roomId, userId);
    if (bannedUntilMs !== undefined) return { joined: false, bannedUntilMs };
    this.rooms.add(account, roomId, 'String', [userId]);
    return { joined: true };
  }

  liftBanOutOfBand(roomId: string, userId: string, options: RoomOptions = {}): boolean {
    return this.banBook.lift(this.accountOf(options), roomId, userId);
  }

  bans(roomId: string, options: RoomOptions = {}): SimulatedBan[] {
    return this.banBook.list(this.accountOf(options), roomId);
  }

  /** Bans the user until `untilMs` and removes them from the room. */
  protected banMember(account: string, roomId: string, userId: string, untilMs: number): void {
    this.banBook.ban(account, roomId, userId, untilMs);
    this.rooms.remove(account, roomId, 'String', [userId]);
  }
}
