// Everything one emulator instance holds (world, limits, counters, faults, nonces) and the
// in-process control API over it; the HTTP control routes are a thin layer over this class.
import { defaultConfig, type EmulatorConfig } from './config';
import { Counters, type CountersSnapshot } from './counters';
import { Faults, validateFaultSpec, type ActiveFault, type FaultSpec } from './faults';
import { NonceStore } from './messages';
import { GlobalLimiter, HiddenLimit, RouteBuckets } from './rate-limits';
import type { WorldSeed } from './seed';
import { World } from './world';

export interface EmulatorMessage {
  id: string;
  channel_id: string;
  guild_id: string | null;
  /** The DM's recipient when the channel is a DM, else null. */
  recipient_id: string | null;
  author_id: string;
  content: string;
  embeds: unknown[];
  /** Files sent with the message; `url` is absolute and serves the bytes. */
  attachments: EmulatorAttachment[];
  nonce: string | number | null;
  timestamp: string;
}

export interface EmulatorAttachment {
  id: string;
  filename: string;
  content_type: string;
  size: number;
  url: string;
}

export interface MessageFilter {
  recipientId?: string;
  channelId?: string;
  guildId?: string;
}

export type WorldState = ReturnType<World['toSeed']> & {
  dm_channels: { id: string; recipient_id: string }[];
};

export class EmulatorState {
  world: World;
  readonly config: EmulatorConfig;
  readonly counters = new Counters();
  readonly faults = new Faults();
  readonly global: GlobalLimiter;
  readonly buckets = new RouteBuckets();
  readonly dmOpenLimit: HiddenLimit;
  readonly nonces: NonceStore;
  /** The emulator's own URL (set once it listens): attachment URLs start with it. */
  baseUrl = 'http://127.0.0.1';

  constructor(seed: WorldSeed, config: Partial<EmulatorConfig> = {}) {
    this.config = { ...defaultConfig(), ...config };
    this.world = World.fromSeed(seed);
    this.global = new GlobalLimiter(this.config.globalRateLimitPerSecond);
    this.dmOpenLimit = new HiddenLimit(this.config.dmOpenTooFast);
    this.nonces = new NonceStore(this.config.nonceWindowMs);
  }

  /** Replace the world (and forget messages, counters, faults and rate-limit state). */
  seed(seed: WorldSeed): WorldState {
    this.world = World.fromSeed(seed);
    this.reset();
    return this.state();
  }

  state(): WorldState {
    const dm_channels = [...this.world.dmChannelByRecipient].map(([recipient_id, id]) => ({
      id,
      recipient_id,
    }));
    return { ...this.world.toSeed(), dm_channels };
  }

  messages(filter: MessageFilter = {}): EmulatorMessage[] {
    return this.world.messages
      .filter(
        (m) =>
          (!filter.recipientId || m.recipientId === filter.recipientId) &&
          (!filter.channelId || m.channelId === filter.channelId) &&
          (!filter.guildId || m.guildId === filter.guildId),
      )
      .map((m) => ({
        id: m.id,
        channel_id: m.channelId,
        guild_id: m.guildId,
        recipient_id: m.recipientId,
        author_id: m.authorId,
        content: m.content,
        embeds: m.embeds,
        attachments: m.attachments.map((a) => ({
          id: a.id,
          filename: a.filename,
          content_type: a.contentType,
          size: a.size,
          url: a.url,
        })),
        nonce: m.nonce,
        timestamp: m.timestamp,
      }));
  }

  counterSnapshot(): CountersSnapshot {
    return this.counters.snapshot(Date.now());
  }

  addFault(spec: FaultSpec): ActiveFault {
    return this.faults.add(validateFaultSpec(spec));
  }

  /** Change limits or windows at run time; rate-limit windows already open keep their old size. */
  configure(patch: Partial<EmulatorConfig>): EmulatorConfig {
    Object.assign(this.config, patch);
    this.global.perSecond = this.config.globalRateLimitPerSecond;
    this.dmOpenLimit.config = this.config.dmOpenTooFast;
    this.nonces.windowMs = this.config.nonceWindowMs;
    return this.config;
  }

  /** Forget messages, counters, faults, nonces and rate-limit state; the seeded world stays. */
  reset(): void {
    this.world.clearRuntimeState();
    this.counters.reset();
    this.faults.clear();
    this.global.reset();
    this.buckets.reset();
    this.dmOpenLimit.reset();
    this.nonces.clear();
  }
}
