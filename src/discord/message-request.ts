/**
 * A MessagePayload as the request discord.js REST sends for `POST /channels/{id}/messages`.
 *
 * Without files: a JSON body. With files: discord.js sends multipart/form-data, the body
 * as `payload_json` and each file as `files[n]`; Discord then wants `attachments` in the
 * body, one `{ id: n, filename }` per file, to tie each part to its attachment.
 */
import type { RawFile, RequestData } from 'discord.js';
import type { MessagePayload } from './contract';

export interface MessageRequest extends RequestData {
  body: Record<string, unknown>;
  files?: RawFile[];
}

export function toMessageRequest(message: MessagePayload, nonce: string): MessageRequest {
  const files = message.files ?? [];
  const body: Record<string, unknown> = {
    content: message.content,
    embeds: message.embeds,
    nonce,
    enforce_nonce: true,
    // Never ping anyone, whatever the text holds (escapeMarkdown leaves mentions alone).
    allowed_mentions: { parse: [] },
  };
  if (files.length === 0) return { body };
  body.attachments = files.map((file, index) => ({ id: index, filename: file.name }));
  return {
    body,
    files: files.map((file) => ({ name: file.name, data: file.data, contentType: file.contentType })),
  };
}
