// Attachments: files uploaded with a message become attachments whose URL is on the emulator's
// own HTTP server (where Discord's would be on its CDN), embeds' `attachment://<filename>`
// references resolve to that URL as Discord resolves them, and the URL serves the bytes back.
import type { ServerResponse } from 'node:http';
import type { APIAttachment, APIEmbed } from 'discord.js';
import { Errors, FormErrors } from './errors';
import type { UploadedFile } from './request-body';
import { generateSnowflake } from './snowflake';
import type { AttachmentDraft } from './validation';
import type { World } from './world';

/** A file uploaded with a message; `url` is absolute, on the emulator's own HTTP server. */
export interface StoredAttachment {
  id: string;
  channelId: string;
  filename: string;
  description: string | null;
  contentType: string;
  size: number;
  url: string;
  data: Buffer;
}

/** Attachment URLs: `<emulator url>/attachments/<channel id>/<attachment id>/<filename>`, the shape of Discord's CDN paths. */
export const ATTACHMENTS_PATH = '/attachments/';

// When the part carries no useful type, the extension decides, as Discord's own guess does.
const TYPES_BY_EXTENSION: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  txt: 'text/plain; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  json: 'application/json',
  pdf: 'application/pdf',
};

/** Discord's docs: only these may be shown in an embed through attachment://. */
const EMBEDDABLE = /\.(jpe?g|png|webp|gif)$/i;

/**
 * The files of one message as attachments (not stored yet). payload_json's `attachments` entries
 * give a file its final filename and a description; each must name a file that was sent. Files it
 * does not mention are attached too, in the order they were sent.
 */
export function buildAttachments(
  files: UploadedFile[],
  drafts: AttachmentDraft[],
  channelId: string,
  baseUrl: string,
  now: number,
): StoredAttachment[] {
  const placeholders = new Set(files.map((f) => f.placeholder));
  const errors = new FormErrors();
  drafts.forEach((d, i) => {
    if (!placeholders.has(d.placeholder)) {
      // Discord refuses an entry that points at no uploaded file; the wording here is the emulator's.
      errors.add(
        ['attachments', i, 'id'],
        'ATTACHMENT_NOT_FOUND',
        `No file was sent as files[${d.placeholder}].`,
      );
    }
  });
  if (!errors.empty) throw Errors.invalidFormBody(errors.toTree());

  return files.map((file) => {
    const draft = drafts.find((d) => d.placeholder === file.placeholder);
    const filename = safeFilename(draft?.filename ?? file.filename);
    const id = generateSnowflake(now);
    return {
      id,
      channelId,
      filename,
      description: draft?.description ?? null,
      contentType: contentTypeOf(file.contentType, filename),
      size: file.data.length,
      url: `${baseUrl}${ATTACHMENTS_PATH}${channelId}/${id}/${encodeURIComponent(filename)}`,
      data: file.data,
    };
  });
}

/**
 * Discord keeps a file's name but not characters that would break a URL path or a file system:
 * whitespace and separators become underscores. attachment:// then refers to the stored name.
 */
export function safeFilename(name: string): string {
  // eslint-disable-next-line no-control-regex
  const cleaned = name.replace(/[\s/\\?#%"<>|*:\u0000-\u001f]/g, '_').replace(/^\.+/, '');
  return cleaned === '' ? 'unknown' : cleaned;
}

function contentTypeOf(sent: string, filename: string): string {
  if (sent !== '' && sent !== 'application/octet-stream') return sent;
  const extension = /\.([^.]+)$/.exec(filename)?.[1]?.toLowerCase() ?? '';
  return TYPES_BY_EXTENSION[extension] ?? 'application/octet-stream';
}

/**
 * Embed images, thumbnails and icons given as attachment://<filename> point at the attachment's URL,
 * as in the message Discord stores. A reference to no attached image is left as sent.
 */
export function resolveAttachmentUrls(embeds: APIEmbed[], attachments: StoredAttachment[]): APIEmbed[] {
  if (attachments.length === 0) return embeds;
  const urlOf = (url: string | undefined): string | undefined => {
    if (!url?.startsWith('attachment://')) return undefined;
    const name = url.slice('attachment://'.length);
    return attachments.find((a) => a.filename === name && EMBEDDABLE.test(a.filename))?.url;
  };
  return embeds.map((embed) => {
    const resolved: APIEmbed = { ...embed };
    for (const key of ['image', 'thumbnail'] as const) {
      const url = urlOf(embed[key]?.url);
      if (url) resolved[key] = { ...embed[key], url, proxy_url: url };
    }
    const authorIcon = urlOf(embed.author?.icon_url);
    if (embed.author && authorIcon) {
      resolved.author = { ...embed.author, icon_url: authorIcon, proxy_icon_url: authorIcon };
    }
    const footerIcon = urlOf(embed.footer?.icon_url);
    if (embed.footer && footerIcon) {
      resolved.footer = { ...embed.footer, icon_url: footerIcon, proxy_icon_url: footerIcon };
    }
    return resolved;
  });
}

/** Discord's attachment object. proxy_url is the same URL: the emulator has no media proxy. */
export function attachmentJson(a: StoredAttachment): APIAttachment {
  return {
    id: a.id,
    filename: a.filename,
    ...(a.description !== null ? { description: a.description } : {}),
    content_type: a.contentType,
    size: a.size,
    url: a.url,
    proxy_url: a.url,
  };
}

/** GET/HEAD /attachments/<channel>/<id>/<filename>: the bytes with their content type, or 404. */
export function serveAttachment(world: World, method: string, pathname: string, res: ServerResponse): void {
  const [channelId, id, encodedName, ...rest] = pathname.slice(ATTACHMENTS_PATH.length).split('/');
  const attachment = id !== undefined ? world.attachments.get(id) : undefined;
  if (
    !attachment ||
    rest.length > 0 ||
    attachment.channelId !== channelId ||
    safeDecode(encodedName ?? '') !== attachment.filename
  ) {
    res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
    res.end('This content is no longer available.');
    return;
  }
  res.writeHead(200, {
    'Content-Type': attachment.contentType,
    'Content-Length': attachment.size,
    // Uploaded bytes are untrusted and served from the inbox page's origin: an HTML or SVG file
    // opened directly must not run scripts there (a sandboxed, opaque origin), nor be sniffed.
    'Content-Security-Policy': 'sandbox',
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-store',
  });
  res.end(method === 'HEAD' ? undefined : attachment.data);
}

function safeDecode(s: string): string | null {
  try {
    return decodeURIComponent(s);
  } catch {
    return null;
  }
}
