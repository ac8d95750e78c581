/**
 * The seed's pattern, measured on a sample against the same emulator: the bot's former
 * cleanup task (which this product replaces) DMs one creator (open the DM channel, send), then sleeps one second, and so on.
 */
import { Routes, type APIChannel } from 'discord.js';
import { createRestClient } from '../../src/discord/rest-client';

export interface SeedPatternFigures {
  creatorsPerSecond: number;
  requestsPerSecond: number;
}

export async function measureSeedPattern(
  apiUrl: string,
  token: string,
  userIds: string[],
): Promise<SeedPatternFigures> {
  const rest = createRestClient({ apiUrl, token });
  const started = Date.now();
  let requests = 0;
  for (const userId of userIds) {
    const channel = (await rest.post(Routes.userChannels(), {
      body: { recipient_id: userId },
    })) as APIChannel;
    await rest.post(Routes.channelMessages(channel.id), { body: { content: 'Your commands are unused.' } });
    requests += 2;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  const seconds = (Date.now() - started) / 1000;
  return { creatorsPerSecond: userIds.length / seconds, requestsPerSecond: requests / seconds };
}
