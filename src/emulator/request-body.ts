// Decoding an API request body the two ways Discord accepts one: application/json, or
// multipart/form-data as in Discord's "Uploading Files" (a `payload_json` part plus `files[n]`
// parts, or plain form fields instead of payload_json). Multipart is parsed by the web-standard
// Request.formData() that Node ships (undici): no hand-written parser, no extra dependency.
import { Errors, FormErrors } from './errors';

/** Discord's maximum request size for a message (its docs: 25 MiB), files included. */
export const MAX_REQUEST_BYTES = 25 * 1024 * 1024;
/** At most 10 files per message. */
export const MAX_FILES = 10;

export interface UploadedFile {
  /** The `n` of `files[n]`: the placeholder id that payload_json's `attachments[].id` refers to. */
  placeholder: string;
  filename: string;
  /** As sent in the part's Content-Type; undici reports a part without one as application/octet-stream. */
  contentType: string;
  data: Buffer;
}

export interface DecodedBody {
  /** The JSON body, or payload_json, or the plain form fields; undefined for an empty body. */
  json: unknown;
  files: UploadedFile[];
}

export async function decodeBody(
  raw: Buffer,
  contentType: string | undefined,
  maxUploadBytes: number,
): Promise<DecodedBody> {
  if (contentType && /^multipart\/form-data\s*;/i.test(contentType)) {
    return decodeMultipart(raw, contentType, maxUploadBytes);
  }
  return { json: parseJson(raw.toString('utf8')), files: [] };
}

export function parseJson(text: string): unknown {
  if (text.length === 0) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw Errors.invalidJson();
  }
}

async function decodeMultipart(
  raw: Buffer,
  contentType: string,
  maxUploadBytes: number,
): Promise<DecodedBody> {
  let form: FormData;
  try {
    form = await new Request('http://emulator.local/', {
      method: 'POST',
      headers: { 'content-type': contentType },
      body: raw,
    }).formData();
  } catch {
    // A body that is not valid multipart (bad boundary, truncated part) never reaches validation.
    throw Errors.badRequest();
  }

  const files: UploadedFile[] = [];
  const fields: Record<string, unknown> = {};
  let payloadJson: string | undefined;
  for (const [name, value] of form) {
    if (typeof value !== 'string') {
      // Each file is checked on its own: the upload limit applies per file, not per request.
      if (value.size > maxUploadBytes) throw Errors.requestEntityTooLarge();
      const placeholder = /^files\[(\d+)\]$/.exec(name)?.[1] ?? String(files.length);
      files.push({
        placeholder,
        filename: value.name,
        contentType: value.type || 'application/octet-stream',
        data: Buffer.from(await value.arrayBuffer()),
      });
    } else if (name === 'payload_json') {
      payloadJson = value;
    } else {
      fields[name] = formField(name, value);
    }
  }
  if (files.length > MAX_FILES) {
    const errors = new FormErrors();
    errors.add(['files'], 'BASE_TYPE_MAX_LENGTH', `Must be ${MAX_FILES} or fewer in length.`);
    throw Errors.invalidFormBody(errors.toTree());
  }
  // With payload_json, it is the whole JSON body; without, the form fields are (Discord's docs
  // show `content` and `tts` sent as plain parts).
  return { json: payloadJson !== undefined ? parseJson(payloadJson) : fields, files };
}

/** A plain form field: text fields stay text; others (`tts=true`, `flags=4`, embeds) are read as JSON. */
function formField(name: string, value: string): unknown {
  if (name === 'content' || name === 'nonce') return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}
