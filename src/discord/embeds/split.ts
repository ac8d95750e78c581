/**
 * Lays text out over as many embeds and messages as it takes, within every Discord limit.
 *
 * The builders describe *what* to say (a description made of segments, fields); the
 * composer decides *where* it goes: it fills the current embed until a limit (description
 * 4096, 25 fields, 6000 characters per message including title and footer) would be
 * crossed, then opens a continuation embed (titled "… (continued)"), and a new message when
 * the message is full (10 embeds, 6000 characters). Nothing is ever dropped: text too long
 * for any single place is cut into pieces, never truncated.
 */
import type { APIEmbed, APIEmbedField } from 'discord.js';
import type { MessagePayload } from '../contract';
import { Limits, embedCharacters } from './limits';

export interface EmbedStyle {
  color: number;
  /** Title of the first embed. */
  title: string;
  /** Title of every later embed, e.g. "⚠️ Custom Command Cleanup Warning (continued)". */
  continuationTitle: string;
  /** Footer of the last embed (kept short: it is reserved in every embed's budget). */
  footer?: string;
  /**
   * Stop laying out once this many messages are started: later text and fields are
   * ignored, and `finish()` returns that many messages, the last one incomplete. For a
   * caller that only needs to know the text takes more than N - 1 messages (fit.ts), it
   * bounds the work whatever the length of the list.
   */
  stopAtMessages?: number;
}

/**
 * Splits text into pieces of at most `max` UTF-16 units: at a line break, else a space, else
 * anywhere (never inside a surrogate pair). With `keepAll` the break character stays at the
 * end of its piece, so joining the pieces gives the text back (code); without it, the
 * break is dropped, as a reader expects of prose.
 */
export function splitText(text: string, max: number, keepAll = false): string[] {
  if (max < 2) throw new RangeError('splitText needs room for at least two characters');
  const pieces: string[] = [];
  let rest = text;
  while (rest.length > max) {
    const limit = keepAll ? max - 1 : max;
    let cut = rest.lastIndexOf('\n', limit);
    if (cut < max / 2) cut = rest.lastIndexOf(' ', limit);
    if (cut < max / 2) cut = max;
    else if (keepAll) cut += 1;
    if (isHighSurrogate(rest.charCodeAt(cut - 1))) cut--;
    pieces.push(rest.slice(0, cut));
    rest = keepAll ? rest.slice(cut) : rest.slice(cut).replace(/^[\n ]/, '');
  }
  if (rest.length > 0 || pieces.length === 0) pieces.push(rest);
  return pieces;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/** Cuts `text` to `max` units with a visible ellipsis; only for labels we write, never user data. */
export function clampLabel(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = max - 1;
  if (isHighSurrogate(text.charCodeAt(cut - 1))) cut--;
  return `${text.slice(0, cut)}…`;
}

export class EmbedComposer {
  private readonly messages: APIEmbed[][] = [];
  /** Embeds of the message being filled, the last one being `current`. */
  private message: APIEmbed[] = [];
  private current: APIEmbed;
  private readonly reserve: number;

  constructor(private readonly style: EmbedStyle) {
    this.style = {
      ...style,
      title: clampLabel(style.title, Limits.title),
      continuationTitle: clampLabel(style.continuationTitle, Limits.title),
      footer: style.footer === undefined ? undefined : clampLabel(style.footer, 256),
    };
    this.reserve = this.style.footer?.length ?? 0;
    this.current = { title: this.style.title, color: style.color };
    this.message.push(this.current);
  }

  /** Whether `stopAtMessages` was reached: what is added now is ignored. */
  get stopped(): boolean {
    return this.style.stopAtMessages !== undefined && this.messages.length + 1 >= this.style.stopAtMessages;
  }

  /** Adds a paragraph to the description, after `separator`; cut into pieces when it is too long. */
  addText(text: string, separator = '\n'): this {
    if (this.stopped) return this;
    for (const piece of splitText(text, Limits.description)) this.addSegment(piece, separator);
    return this;
  }

  /**
   * Adds a field. A value longer than a field allows is cut over several fields named
   * "name (continued)", so lists stay whole.
   */
  addField(name: string, value: string, inline = false): this {
    if (this.stopped) return this;
    const label = clampLabel(name.trim() === '' ? '\u200b' : name, Limits.fieldName);
    const pieces = splitText(value.trim() === '' ? '\u200b' : value, Limits.fieldValue);
    pieces.forEach((piece, i) => {
      const fieldName = i === 0 ? label : clampLabel(`${name} (continued)`, Limits.fieldName);
      this.placeField({ name: fieldName, value: piece, inline });
    });
    return this;
  }

  /** Starts a new embed (e.g. a section with its own title); later text and fields go there. */
  startEmbed(title?: string): this {
    if (this.stopped) return this;
    this.openEmbed(title ?? this.style.continuationTitle, 0);
    return this;
  }

  finish(): MessagePayload[] {
    if (this.style.footer) this.current.footer = { text: this.style.footer };
    const all = [...this.messages, this.message];
    return all
      .map((embeds) => embeds.filter((embed) => embedCharacters(embed) > 0))
      .filter((embeds) => embeds.length > 0)
      .map((embeds) => ({ embeds }));
  }

  private addSegment(segment: string, separator: string): void {
    // Description shows above fields: text after a field belongs in a new embed.
    const hasFields = (this.current.fields?.length ?? 0) > 0;
    if (hasFields) this.openEmbed(this.style.continuationTitle, segment.length);
    else if (!this.fitsDescription(segment, separator)) this.makeRoom(segment.length);
    const description = this.current.description;
    this.current.description = description ? `${description}${separator}${segment}` : segment;
  }

  private placeField(field: APIEmbedField): void {
    const added = field.name.length + field.value.length;
    if ((this.current.fields?.length ?? 0) >= Limits.fields)
      this.openEmbed(this.style.continuationTitle, added);
    else if (!this.fitsMessage(added)) this.makeRoom(added);
    this.current.fields = [...(this.current.fields ?? []), field];
  }

  private fitsDescription(segment: string, separator: string): boolean {
    const description = this.current.description ?? '';
    const added = (description ? separator.length : 0) + segment.length;
    return description.length + added <= Limits.description && this.fitsMessage(added);
  }

  private fitsMessage(added: number, message: APIEmbed[] = this.message): boolean {
    const used = message.reduce((sum, embed) => sum + embedCharacters(embed), 0);
    return used + added + this.reserve <= Limits.charactersPerMessage;
  }

  /**
   * Room for `added` more characters: a continuation embed, or, when the current embed has
   * nothing but its title yet, the same embed moved on to a new message (a title must not
   * be left alone at the end of a message).
   */
  private makeRoom(added: number): void {
    const onlyTitle = !this.current.description && !this.current.fields?.length;
    if (onlyTitle && this.message.length > 1) {
      this.message.pop();
      this.messages.push(this.message);
      this.message = [this.current];
      return;
    }
    this.openEmbed(this.style.continuationTitle, added);
  }

  /** Opens an embed in the current message if it and `added` characters fit there, else in a new one. */
  private openEmbed(title: string, added: number): void {
    const next: APIEmbed = { title, color: this.style.color };
    const fits = this.message.length < Limits.embedsPerMessage && this.fitsMessage(title.length + added);
    if (!fits) {
      this.messages.push(this.message);
      this.message = [];
    }
    this.message.push(next);
    this.current = next;
  }
}
