// Validation of a create-message body against Discord's limits, with errors reported the way
// Discord does (50035 Invalid Form Body with a nested `errors` tree; 50006 for an empty message).
import type { APIEmbed, EmbedType } from 'discord.js';
import { Errors, FormErrors } from './errors';

export const Limits = {
  content: 2000,
  embeds: 10,
  embedTotal: 6000,
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footerText: 2048,
  authorName: 256,
  nonce: 25,
  color: 0xffffff,
  attachments: 10,
  attachmentFilename: 1024,
  attachmentDescription: 1024,
} as const;

export interface AllowedMentions {
  parse?: string[];
  users?: string[];
  roles?: string[];
}

/** One entry of payload_json's `attachments`: metadata for the file sent as `files[placeholder]`. */
export interface AttachmentDraft {
  placeholder: string;
  filename: string | null;
  description: string | null;
}

export interface MessageDraft {
  content: string;
  embeds: APIEmbed[];
  attachments: AttachmentDraft[];
  nonce: string | number | null;
  enforceNonce: boolean;
  allowedMentions: AllowedMentions | null;
  tts: boolean;
  flags: number;
}

type Json = Record<string, unknown>;

/** Discord counts characters, not UTF-16 units: an emoji is one character. */
export function charCount(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Parses and validates POST /channels/{id}/messages; throws the DiscordError Discord would answer.
 * `fileCount` is the number of files uploaded with it (multipart): files alone make a message.
 */
export function parseCreateMessage(body: unknown, fileCount = 0): MessageDraft {
  const errors = new FormErrors();
  if (!isObject(body)) {
    errors.add([], 'DICT_TYPE_CONVERT', 'Only dictionaries may be used in a DictType');
    throw Errors.invalidFormBody(errors.toTree());
  }

  const content = optionalString(body, 'content', errors) ?? '';
  if (charCount(content) > Limits.content) maxLength(errors, ['content'], Limits.content);

  const embeds: APIEmbed[] = [];
  if (body.embeds !== undefined && body.embeds !== null) {
    if (!Array.isArray(body.embeds)) {
      errors.add(['embeds'], 'BASE_TYPE_LIST', 'Must be a list.');
    } else {
      if (body.embeds.length > Limits.embeds) maxLength(errors, ['embeds'], Limits.embeds);
      let total = 0;
      body.embeds.forEach((raw, i) => {
        if (!isObject(raw)) {
          errors.add(['embeds', i], 'DICT_TYPE_CONVERT', 'Only dictionaries may be used in a DictType');
          return;
        }
        total += validateEmbed(raw, ['embeds', i], errors);
        embeds.push(storedEmbed(raw));
      });
      if (total > Limits.embedTotal) {
        errors.add(
          ['embeds'],
          'MAX_EMBED_SIZE_EXCEEDED',
          `Embed size exceeds maximum size of ${Limits.embedTotal}`,
        );
      }
    }
  }

  let nonce: string | number | null = null;
  if (body.nonce !== undefined && body.nonce !== null) {
    if (typeof body.nonce === 'string') {
      if (charCount(body.nonce) > Limits.nonce) maxLength(errors, ['nonce'], Limits.nonce);
      nonce = body.nonce;
    } else if (typeof body.nonce === 'number' && Number.isInteger(body.nonce)) {
      nonce = body.nonce;
    } else {
      errors.add(['nonce'], 'NONCE_TYPE_INVALID_TYPE', 'This field must be a string or integer.');
    }
  }

  const attachments = parseAttachments(body.attachments, errors);

  if (!errors.empty) throw Errors.invalidFormBody(errors.toTree());
  if (content.trim() === '' && embeds.length === 0 && fileCount === 0) throw Errors.emptyMessage();

  return {
    content,
    embeds,
    attachments,
    nonce,
    enforceNonce: body.enforce_nonce === true,
    allowedMentions: isObject(body.allowed_mentions) ? body.allowed_mentions : null,
    tts: body.tts === true,
    flags: typeof body.flags === 'number' ? body.flags : 0,
  };
}

/**
 * An embed as Discord stores and returns it: `type` "rich" unless given, no null members (the
 * spec's MessageEmbedResponse has none), and every field with its `inline` (default false).
 */
function storedEmbed(raw: Json): APIEmbed {
  const embed = withoutNulls(raw) as Json;
  // Called before the request's errors are thrown: anything may be here yet.
  const fields = Array.isArray(embed.fields)
    ? embed.fields.map((field: unknown) =>
        isObject(field) ? { ...field, inline: field.inline ?? false } : field,
      )
    : embed.fields;
  return { type: 'rich' as EmbedType, ...embed, ...(fields !== undefined ? { fields } : {}) } as APIEmbed;
}

function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (!isObject(value)) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, v]) => v !== null)
      .map(([k, v]) => [k, withoutNulls(v)]),
  );
}

/** Checks one embed; returns its size towards the 6000-character total. */
function validateEmbed(embed: Json, path: (string | number)[], errors: FormErrors): number {
  let size = 0;
  const text = (obj: Json, key: string, limit: number, at: (string | number)[], required = false): void => {
    const value = obj[key];
    if (value === undefined || value === null) {
      if (required) errors.add([...at, key], 'BASE_TYPE_REQUIRED', 'This field is required');
      return;
    }
    if (typeof value !== 'string') {
      errors.add([...at, key], 'BASE_TYPE_STRING', 'Must be a string.');
      return;
    }
    const n = charCount(value);
    if (n > limit) maxLength(errors, [...at, key], limit);
    size += n;
  };

  text(embed, 'title', Limits.title, path);
  text(embed, 'description', Limits.description, path);
  if (embed.color !== undefined && embed.color !== null) {
    if (typeof embed.color !== 'number' || !Number.isInteger(embed.color) || embed.color < 0) {
      errors.add(
        [...path, 'color'],
        'NUMBER_TYPE_COERCE',
        `Value "${JSON.stringify(embed.color)}" is not int.`,
      );
    } else if (embed.color > Limits.color) {
      errors.add(
        [...path, 'color'],
        'NUMBER_TYPE_MAX',
        `int value should be less than or equal to ${Limits.color}.`,
      );
    }
  }
  if (isObject(embed.footer)) text(embed.footer, 'text', Limits.footerText, [...path, 'footer'], true);
  if (isObject(embed.author)) text(embed.author, 'name', Limits.authorName, [...path, 'author'], true);
  if (embed.fields !== undefined && embed.fields !== null) {
    if (!Array.isArray(embed.fields)) {
      errors.add([...path, 'fields'], 'BASE_TYPE_LIST', 'Must be a list.');
    } else {
      if (embed.fields.length > Limits.fields) maxLength(errors, [...path, 'fields'], Limits.fields);
      embed.fields.forEach((field, j) => {
        const at = [...path, 'fields', j];
        if (!isObject(field)) {
          errors.add(at, 'DICT_TYPE_CONVERT', 'Only dictionaries may be used in a DictType');
          return;
        }
        text(field, 'name', Limits.fieldName, at, true);
        text(field, 'value', Limits.fieldValue, at, true);
      });
    }
  }
  return size;
}

/** payload_json's `attachments: [{id, filename?, description?}]`, `id` being the files[n] placeholder. */
function parseAttachments(value: unknown, errors: FormErrors): AttachmentDraft[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    errors.add(['attachments'], 'BASE_TYPE_LIST', 'Must be a list.');
    return [];
  }
  if (value.length > Limits.attachments) maxLength(errors, ['attachments'], Limits.attachments);
  const drafts: AttachmentDraft[] = [];
  value.forEach((raw, i) => {
    const at = ['attachments', i];
    if (!isObject(raw)) {
      errors.add(at, 'DICT_TYPE_CONVERT', 'Only dictionaries may be used in a DictType');
      return;
    }
    if (raw.id === undefined || raw.id === null) {
      errors.add([...at, 'id'], 'BASE_TYPE_REQUIRED', 'This field is required');
      return;
    }
    // The files[n] placeholder, as a number or a string of digits.
    const id =
      typeof raw.id === 'number' || typeof raw.id === 'string' ? String(raw.id) : JSON.stringify(raw.id);
    if (!/^\d+$/.test(id)) {
      errors.add([...at, 'id'], 'NUMBER_TYPE_COERCE', `Value "${id}" is not snowflake.`);
      return;
    }
    const filename = optionalString(raw, 'filename', errors, at);
    if (filename !== undefined && charCount(filename) > Limits.attachmentFilename) {
      maxLength(errors, [...at, 'filename'], Limits.attachmentFilename);
    }
    const description = optionalString(raw, 'description', errors, at);
    if (description !== undefined && charCount(description) > Limits.attachmentDescription) {
      maxLength(errors, [...at, 'description'], Limits.attachmentDescription);
    }
    drafts.push({ placeholder: id, filename: filename ?? null, description: description ?? null });
  });
  return drafts;
}

function optionalString(
  body: Json,
  key: string,
  errors: FormErrors,
  at: (string | number)[] = [],
): string | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  errors.add([...at, key], 'BASE_TYPE_STRING', 'Must be a string.');
  return undefined;
}

function maxLength(errors: FormErrors, path: (string | number)[], limit: number): void {
  errors.add(path, 'BASE_TYPE_MAX_LENGTH', `Must be ${limit} or fewer in length.`);
}
