/**
 * What the demo's inbox holds so far, read from the emulator's control API
 * (GET /_emulator/messages), and waiting until it holds what the screenshots show.
 */
import { WARNING_TITLE } from '../../src/discord/embeds/warning';
import { DELETION_TITLE } from '../../src/discord/embeds/deletion';
import { SUMMARY_TITLE } from '../../src/discord/embeds/summary';
import { ANALYTICS_TITLE } from '../../src/analytics/embed';

interface InboxMessage {
  id: string;
  channel_id: string;
  recipient_id?: string | null;
  embeds?: { title?: string }[];
  attachments?: { content_type?: string }[];
}

/** One kind of message the demo sends, as the inbox shows it. */
export interface Expected {
  name: string;
  matches(message: InboxMessage): boolean;
}

const titled = (message: InboxMessage, prefix: string) =>
  (message.embeds ?? []).some((embed) => embed.title?.startsWith(prefix));

export const WARNINGS: Expected = { name: 'warning DMs', matches: (m) => titled(m, WARNING_TITLE) };
export const SUMMARY: Expected = { name: 'admin summary', matches: (m) => titled(m, SUMMARY_TITLE) };
export const ANALYTICS_CHART: Expected = {
  name: 'usage analytics chart',
  matches: (m) =>
    titled(m, ANALYTICS_TITLE) &&
    (m.attachments ?? []).some((file) => file.content_type?.startsWith('image/')),
};
// The health monitor's first notice ('Health monitoring on'); its title is not exported.
export const HEALTH: Expected = { name: 'health notice', matches: (m) => titled(m, 'Health monitoring') };
export const DELETIONS: Expected = { name: 'deletion DMs', matches: (m) => titled(m, DELETION_TITLE) };

export async function inboxMessages(inboxUrl: string): Promise<InboxMessage[]> {
  const response = await fetch(`${inboxUrl}/_emulator/messages`);
  if (!response.ok) throw new Error(`GET /_emulator/messages: HTTP ${response.status}`);
  return ((await response.json()) as { messages: InboxMessage[] }).messages;
}

/** Polls until every expected kind is in the inbox; says what arrived, and what is missing on timeout. */
export async function waitForInbox(
  inboxUrl: string,
  expected: Expected[],
  { timeoutMs, log }: { timeoutMs: number; log: (line: string) => void },
): Promise<InboxMessage[]> {
  const deadline = Date.now() + timeoutMs;
  const seen = new Set<string>();
  for (;;) {
    const messages = await inboxMessages(inboxUrl).catch(() => []);
    const missing = expected.filter((kind) => !messages.some((m) => kind.matches(m)));
    for (const kind of expected)
      if (!missing.includes(kind) && !seen.has(kind.name)) {
        seen.add(kind.name);
        log(`  inbox: ${kind.name} arrived`);
      }
    if (missing.length === 0) return messages;
    if (Date.now() > deadline)
      throw new Error(
        `the inbox lacks ${missing.map((kind) => kind.name).join(', ')} after ${timeoutMs / 1000} s`,
      );
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}
