// Emulator behaviour that tests and demos may tune. Discord does not publish per-route limits
// (clients must read the headers); the defaults below are plausible, not Discord's own numbers,
// except the global 50/s and the well-known 5 messages per 5 s per channel.
import type { BucketConfig } from './rate-limits';

export interface EmulatorConfig {
  /** Global limit per bot token, requests per second (Discord: 50). */
  globalRateLimitPerSecond: number;
  /** Per-route buckets keyed by "METHOD /template" (templates as in GET /_emulator/routes). */
  routeLimits: Record<string, BucketConfig>;
  /** Bucket for routes not in routeLimits. */
  defaultRouteLimit: BucketConfig;
  /** Hidden anti-spam limit on opening DMs, answered with 403 code 40003 (null: off). */
  dmOpenTooFast: BucketConfig | null;
  /** How long a nonce sent with enforce_nonce is remembered (Discord: "a few minutes"). */
  nonceWindowMs: number;
  /** The code for a DM to a user sharing no guild with the bot: 50007 as bots see it, or 50278. */
  noMutualGuildCode: 50007 | 50278;
  /** Largest file accepted per attachment, in bytes (Discord's default for bots: 10 MiB; boosted
   * guilds allow more). A larger file is refused with 413 code 40005. */
  maxUploadBytes: number;
}

export const defaultConfig = (): EmulatorConfig => ({
  globalRateLimitPerSecond: 50,
  routeLimits: {
    'POST /channels/:channel_id/messages': { limit: 5, windowMs: 5000 },
    'POST /users/@me/channels': { limit: 50, windowMs: 1000 },
  },
  defaultRouteLimit: { limit: 10, windowMs: 1000 },
  dmOpenTooFast: null,
  nonceWindowMs: 5 * 60 * 1000,
  noMutualGuildCode: 50007,
  maxUploadBytes: 10 * 1024 * 1024,
});
