// Discord's markdown to HTML, for the inbox page: what the Discord client renders, with its
// rules (simple-markdown's, as the client uses them). Every piece of text goes through
// escapeHtml and every href is an http(s) URL, so message text can never become markup.
//
// Rendered: **bold**, *italics* / _italics_, __underline__, ~~strikethrough~~, ||spoilers||,
// `inline code`, ```code blocks``` (with an optional language line), `> ` and `>>> ` quotes
// (not nested, as in Discord), `#`/`##`/`###` headers and `-# ` subtext, `- ` / `* ` / `1. `
// lists (nested by indentation; an ordered list starts at its first number), masked links
// [text](https://…), <https://…> and bare http(s) URLs (other schemes stay text), mentions
// (<@id> and <@!id> as @display name, else @unknown-user; <@&id> as @role, else @deleted-role;
// <#id> as #channel, else #unknown; </name:id> as /name; @everyone and @here), timestamps
// <t:unix[:style]> (shown through the context, see markdown-timestamp.ts), custom emoji
// <:name:id> / <a:name:id> as :name: (no images offline), and backslash escapes (`\*` is a
// literal `*`, as discord.js's escapeMarkdown writes it). Unicode emoji are plain text.
//
// Two modes, following the client: `full` for message content, embed descriptions and field
// values; `title` for embed titles and field names, where Discord renders only inline styles,
// inline code and custom emoji (no mentions, timestamps, links or blocks: those stay text).
// Embed author names and footers get no markdown at all in Discord; the page shows them as text.
// Line breaks stay `\n` characters: the page shows rendered text with `white-space: pre-wrap`,
// as the client does; blocks swallow the line break that ends them.
//
// The inbox page ships these functions as their own source (markdown-browser.ts): they may use
// only their arguments, each other and JavaScript built-ins (no module-level constants).
import type { TimestampText } from './markdown-timestamp';

/** What the text refers to: names from the world, and how to show a timestamp. */
export interface MarkdownContext {
  /** A user's display name (nickname, global name or username), undefined when unknown. */
  user(id: string): string | undefined;
  role(id: string): string | undefined;
  channel(id: string): string | undefined;
  timestamp(unixSeconds: number, style: string | undefined): TimestampText | null;
}

export type MarkdownMode = 'full' | 'title';

export interface ParseState {
  ctx: MarkdownContext;
  mode: MarkdownMode;
  rules: MarkdownRule[];
  /** Rules for the start of a line (quotes, headers, lists) may apply. */
  blocks: boolean;
  inQuote: boolean;
  inLink: boolean;
}

export interface MarkdownRule {
  /** Anchored at the current position. */
  pattern: RegExp;
  /** Only where a line starts, outside inline spans. */
  lineStart?: boolean;
  /** Also in titles and field names. */
  title?: boolean;
  /** Makes a link, so not inside a link's text. */
  link?: boolean;
  /** Makes a quote, so not inside one. */
  quote?: boolean;
  html(match: RegExpExecArray, state: ParseState): string;
}

export function renderMarkdown(source: string, ctx: MarkdownContext, mode: MarkdownMode = 'full'): string {
  const state = { ctx, mode, rules: markdownRules(), blocks: mode === 'full', inQuote: false, inLink: false };
  return parseMarkdown(source, state);
}

/** At each position the first rule that applies and matches wins; the last rule (text) always matches. */
export function parseMarkdown(source: string, state: ParseState): string {
  let html = '';
  let i = 0;
  while (i < source.length) {
    const rest = source.slice(i);
    const lineStart = i === 0 || source[i - 1] === '\n';
    for (const rule of state.rules) {
      if (!ruleApplies(rule, state, lineStart)) continue;
      const match = rule.pattern.exec(rest);
      if (!match) continue;
      html += rule.html(match, state);
      i += match[0].length;
      break;
    }
  }
  return html;
}

export function ruleApplies(rule: MarkdownRule, state: ParseState, lineStart: boolean): boolean {
  if (state.mode === 'title' && !rule.title) return false;
  if (rule.lineStart && !(state.blocks && lineStart)) return false;
  return !(rule.quote && state.inQuote) && !(rule.link && state.inLink);
}

/** Discord's rules, in the order they are tried. */
export function markdownRules(): MarkdownRule[] {
  return [
    // Blocks: only where a line starts.
    { lineStart: true, quote: true, pattern: /^ *>>> ([\s\S]*)/, html: (m, s) => renderQuote(m[1]!, s) },
    {
      lineStart: true,
      quote: true,
      pattern: /^(?: *> [^\n]*(?:\n|$))+/,
      html: (m, s) => renderQuote(m[0].replace(/\n$/, '').replace(/^ *> /gm, ''), s),
    },
    {
      lineStart: true,
      pattern: /^(#{1,3}) +(\S[^\n]*)(?:\n|$)/,
      html: (m, s) => `<h${m[1]!.length} class="md-h">${renderInline(m[2]!.trim(), s)}</h${m[1]!.length}>`,
    },
    {
      lineStart: true,
      pattern: /^-# +(\S[^\n]*)(?:\n|$)/,
      html: (m, s) => `<div class="md-subtext">${renderInline(m[1]!, s)}</div>`,
    },
    {
      lineStart: true,
      pattern: /^(?: *(?:[*-]|\d{1,9}\.) +\S[^\n]*(?:\n|$))+/,
      html: (m, s) => renderList(m[0].replace(/\n$/, '').split('\n'), s),
    },
    // Anywhere.
    { title: true, pattern: /^\\([^0-9A-Za-z\s])/, html: (m) => escapeHtml(m[1]!) },
    {
      pattern: /^```(?:([a-z0-9_+\-.#]+?)\n)?\n*([^\n][\s\S]*?)\n*```\n?/i,
      html: (m) =>
        `<pre class="md-codeblock"><code${m[1] ? ` data-language="${escapeHtml(m[1])}"` : ''}>` +
        `${escapeHtml(m[2]!)}</code></pre>`,
    },
    {
      title: true,
      pattern: /^(`+)([\s\S]*?[^`])\1(?!`)/,
      html: (m) => `<code class="md-code">${escapeHtml(m[2]!)}</code>`,
    },
    {
      link: true,
      pattern:
        /^\[((?:\\[\s\S]|[^\\[\]])+)\]\(\s*<?(https?:\/\/[^\s()<>]+(?:\([^\s()<>]*\)[^\s()<>]*)*)>?\s*\)/,
      html: (m, s) => renderLink(m[2]!, renderInline(m[1]!, { ...s, inLink: true })),
    },
    { link: true, pattern: /^<(https?:\/\/[^\s<>]+)>/, html: (m) => renderLink(m[1]!, escapeHtml(m[1]!)) },
    {
      link: true,
      pattern: /^https?:\/\/[^\s<]+[^<.,:;"')\]\s]/,
      html: (m) => renderLink(m[0], escapeHtml(m[0])),
    },
    {
      pattern: /^<@!?(\d{1,20})>/,
      html: (m, s) => renderMention(`@${s.ctx.user(m[1]!) ?? 'unknown-user'}`),
    },
    {
      pattern: /^<@&(\d{1,20})>/,
      // @everyone's name has its @ already.
      html: (m, s) => renderMention((s.ctx.role(m[1]!) ?? 'deleted-role').replace(/^(?!@)/, '@')),
    },
    { pattern: /^<#(\d{1,20})>/, html: (m, s) => renderMention(`#${s.ctx.channel(m[1]!) ?? 'unknown'}`) },
    { pattern: /^<\/([^\s:<>][^:<>\n]{0,99}):(\d{1,20})>/, html: (m) => renderMention(`/${m[1]!}`) },
    { pattern: /^@(?:everyone|here)\b/, html: (m) => renderMention(m[0]) },
    { pattern: /^<t:(-?\d{1,17})(?::([tTdDfFR]))?>/, html: (m, s) => renderTimestamp(m, s) },
    {
      title: true,
      pattern: /^<a?:(\w{2,32}):\d{1,20}>/,
      html: (m) => `<span class="md-emoji" title=":${escapeHtml(m[1]!)}:">:${escapeHtml(m[1]!)}:</span>`,
    },
    {
      title: true,
      pattern: /^\*\*((?:\\[\s\S]|[^\\])+?)\*\*(?!\*)/,
      html: (m, s) => `<strong>${renderInline(m[1]!, s)}</strong>`,
    },
    {
      title: true,
      pattern: /^__((?:\\[\s\S]|[^\\])+?)__(?!_)/,
      html: (m, s) => `<u>${renderInline(m[1]!, s)}</u>`,
    },
    {
      title: true,
      pattern: /^\*(?=\S)((?:\*\*|\\[\s\S]|\s+(?:\\[\s\S]|[^\s*\\]|\*\*)|[^\s*\\])+?)\*(?!\*)/,
      html: (m, s) => `<em>${renderInline(m[1]!, s)}</em>`,
    },
    {
      title: true,
      pattern: /^_((?:__|\\[\s\S]|[^\\_])+?)_\b/,
      html: (m, s) => `<em>${renderInline(m[1]!, s)}</em>`,
    },
    {
      title: true,
      pattern: /^~~((?:\\[\s\S]|[^\\])+?)~~/,
      html: (m, s) => `<s>${renderInline(m[1]!, s)}</s>`,
    },
    {
      title: true,
      pattern: /^\|\|((?:\\[\s\S]|[^\\])+?)\|\|/,
      html: (m, s) => `<span class="md-spoiler" tabindex="0">${renderInline(m[1]!, s)}</span>`,
    },
    // Text: a line break alone, or up to the next character another rule may start with.
    {
      title: true,
      pattern: /^(?:\n|[^\n]+?(?=[^0-9A-Za-z\s\u00c0-\uffff]|\n|\w+:\S|$))/,
      html: (m) => escapeHtml(m[0]),
    },
  ];
}

/** Inside an inline span (bold, a list item, ...): no blocks. */
export function renderInline(source: string, state: ParseState): string {
  return parseMarkdown(source, { ...state, blocks: false });
}

export function renderQuote(source: string, state: ParseState): string {
  const inner = parseMarkdown(source, { ...state, blocks: true, inQuote: true });
  return `<blockquote class="md-quote">${inner}</blockquote>`;
}

/**
 * List lines: items at the first line's indentation, deeper lines a nested list of the item
 * above. A bullet after numbers (or numbers after bullets) starts a new list.
 */
export function renderList(lines: string[], state: ParseState): string {
  const indent = (line: string) => line.length - line.trimStart().length;
  const ordered = (line: string) => /^ *\d/.test(line);
  const base = indent(lines[0]!);
  const items: { text: string; nested: string[] }[] = [];
  let end = 0;
  for (; end < lines.length; end++) {
    const line = lines[end]!;
    const last = items[items.length - 1];
    if (last && indent(line) > base) last.nested.push(line);
    else if (last && ordered(line) !== ordered(lines[0]!)) break;
    else items.push({ text: line.replace(/^ *(?:[*-]|\d+\.) +/, ''), nested: [] });
  }
  const body = items
    .map((item) => {
      const nested = item.nested.length > 0 ? renderList(item.nested, state) : '';
      return `<li>${renderInline(item.text, state)}${nested}</li>`;
    })
    .join('');
  const start = /^ *(\d+)\./.exec(lines[0]!);
  const list = start
    ? `<ol class="md-list" start="${Number(start[1])}">${body}</ol>`
    : `<ul class="md-list">${body}</ul>`;
  return end < lines.length ? list + renderList(lines.slice(end), state) : list;
}

/** `url` is an http(s) URL (the rules match no other scheme); `inner` is HTML already. */
export function renderLink(url: string, inner: string): string {
  const href = escapeHtml(url);
  return `<a class="md-link" href="${href}" title="${href}" target="_blank" rel="noopener noreferrer">${inner}</a>`;
}

export function renderMention(text: string): string {
  return `<span class="md-mention">${escapeHtml(text)}</span>`;
}

/** A `<time>` the page can update (data-unix, data-style); the markup as text when out of range. */
export function renderTimestamp(m: RegExpExecArray, state: ParseState): string {
  const shown = state.ctx.timestamp(Number(m[1]), m[2]);
  if (!shown) return escapeHtml(m[0]);
  return (
    `<time class="md-timestamp" datetime="${escapeHtml(shown.iso)}" title="${escapeHtml(shown.title)}"` +
    ` data-unix="${escapeHtml(m[1]!)}" data-style="${escapeHtml(m[2] ?? 'f')}">${escapeHtml(shown.text)}</time>`
  );
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** What the inbox page ships of this module (see markdown-browser.ts). */
export const MARKDOWN_FUNCTIONS = [
  renderMarkdown,
  parseMarkdown,
  ruleApplies,
  markdownRules,
  renderInline,
  renderQuote,
  renderList,
  renderLink,
  renderMention,
  renderTimestamp,
  escapeHtml,
];
