/**
 * The guilds the tasks run for: GUILD_ID / GUILD_IDS, or with GUILD_IDS=all every
 * guild the bot is in, asked of Discord page by page (GET /users/@me/guilds, 200 a page).
 */
import { Routes } from 'discord.js';
import { requireSetting, type Config } from './config';
import { createRestClient } from './discord/rest-client';

const PAGE = 200;

export async function resolveGuildIds(config: Config): Promise<string[]> {
  if (!config.allGuilds) {
    return requireSetting(config.guildIds, 'GUILD_IDS', "a comma-separated list of guild ids, or 'all'");
  }
  const token = requireSetting(
    config.discord.token,
    'DISCORD_TOKEN',
    'the bot token (GUILD_IDS=all asks Discord)',
  );
  const rest = createRestClient({ token, apiUrl: config.discord.apiUrl });
  const ids: string[] = [];
  let after: string | undefined;
  for (;;) {
    const query = new URLSearchParams({ limit: String(PAGE), ...(after ? { after } : {}) });
    const page = (await rest.get(Routes.userGuilds(), { query })) as { id: string }[];
    ids.push(...page.map((guild) => guild.id));
    if (page.length < PAGE) return ids;
    after = page[page.length - 1]!.id;
  }
}
