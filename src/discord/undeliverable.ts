/** Discord's answers that mean a user cannot be DMed at all (not a failure to retry). */
import { DiscordAPIError, RESTJSONErrorCodes } from 'discord.js';
import type { UndeliverableReason } from '../cleanup/model';

/** A user Discord says cannot be DMed, before any message was attempted. */
export class UndeliverableError extends Error {
  constructor(
    readonly reason: UndeliverableReason,
    readonly detail: string,
  ) {
    super(`undeliverable (${reason}): ${detail}`);
    this.name = 'UndeliverableError';
  }
}

/** Why a DM is permanently undeliverable for this run, or null when the error is not about that. */
export function classifyUndeliverable(error: unknown): UndeliverableReason | null {
  if (!(error instanceof DiscordAPIError)) return null;
  switch (error.code) {
    case RESTJSONErrorCodes.CannotSendMessagesToThisUser:
      return 'dms-closed';
    // The user shares no guild with the bot any more: they left this one too.
    case RESTJSONErrorCodes.CannotSendMessagesToThisUserDueToHavingNoMutualGuilds:
      return 'left-guild';
    case RESTJSONErrorCodes.UnknownUser:
      return 'unknown-user';
    default:
      return null;
  }
}
