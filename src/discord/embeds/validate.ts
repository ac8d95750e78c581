/**
 * Lists every way a message would break Discord's limits. The builders guarantee an empty
 * list; tests (and a last check before sending) call this to prove it on any data.
 */
import type { MessageFile, MessagePayload } from '../contract';
import { Limits, codePointLength, embedCharacters } from './limits';

export function validateMessage(payload: MessagePayload): string[] {
  const problems: string[] = [];
  const over = (what: string, actual: number, limit: number) => {
    if (actual > limit) problems.push(`${what}: ${actual} > ${limit}`);
  };

  const content = payload.content ?? '';
  const embeds = payload.embeds ?? [];
  const files = payload.files ?? [];
  over('content', codePointLength(content), Limits.content);
  over('embeds', embeds.length, Limits.embedsPerMessage);
  if (content.length === 0 && embeds.length === 0 && files.length === 0) problems.push('message is empty');
  problems.push(...validateFiles(files));

  let total = 0;
  embeds.forEach((embed, i) => {
    const at = `embeds[${i}]`;
    over(`${at}.title`, codePointLength(embed.title), Limits.title);
    over(`${at}.description`, codePointLength(embed.description), Limits.description);
    over(`${at}.footer.text`, codePointLength(embed.footer?.text), Limits.footerText);
    over(`${at}.author.name`, codePointLength(embed.author?.name), Limits.authorName);
    const fields = embed.fields ?? [];
    over(`${at}.fields`, fields.length, Limits.fields);
    fields.forEach((field, j) => {
      over(`${at}.fields[${j}].name`, codePointLength(field.name), Limits.fieldName);
      over(`${at}.fields[${j}].value`, codePointLength(field.value), Limits.fieldValue);
      if (field.name.trim() === '') problems.push(`${at}.fields[${j}].name is empty`);
      if (field.value.trim() === '') problems.push(`${at}.fields[${j}].value is empty`);
    });
    if (embed.description !== undefined && embed.description.trim() === '') {
      problems.push(`${at}.description is empty`);
    }
    if (embed.color !== undefined && (embed.color < 0 || embed.color > 0xffffff)) {
      problems.push(`${at}.color out of range`);
    }
    const characters = embedCharacters(embed, codePointLength);
    if (characters === 0) problems.push(`${at} has no text`);
    total += characters;
  });
  over('characters over all embeds', total, Limits.charactersPerMessage);
  return problems;
}

/**
 * Discord's limits on attachments: 10 per message, 10 MiB each for a bot, 25 MB for the
 * whole request. Names must be distinct (they key `attachments`) and plain: Discord keeps
 * only the last path segment and would show another name than the one we compare later.
 */
function validateFiles(files: MessageFile[]): string[] {
  const problems: string[] = [];
  if (files.length > Limits.filesPerMessage)
    problems.push(`files: ${files.length} > ${Limits.filesPerMessage}`);
  let total = 0;
  const names = new Set<string>();
  files.forEach((file, i) => {
    const at = `files[${i}]`;
    const bytes = file.data.length;
    total += bytes;
    if (bytes > Limits.fileBytes) problems.push(`${at} (${file.name}): ${bytes} bytes > ${Limits.fileBytes}`);
    if (!/^[\w.-]{1,100}$/.test(file.name) || file.name.startsWith('.')) {
      problems.push(`${at}.name ${JSON.stringify(file.name)} is not a plain file name`);
    }
    if (names.has(file.name)) problems.push(`${at}.name ${file.name} is repeated`);
    names.add(file.name);
    if (!file.contentType) problems.push(`${at}.contentType is empty`);
  });
  if (total > Limits.requestBytes) problems.push(`bytes over all files: ${total} > ${Limits.requestBytes}`);
  return problems;
}
