// The inbox page at GET /: DMs grouped by user, channel messages grouped by channel, embeds drawn
// like Discord's, attachments as Discord's client shows them (images inline, other files as a
// link with name and size), Discord's markdown rendered (markdown.ts: bold, code, quotes, lists,
// links, mentions by name, timestamps in the reader's locale, ...). Plain HTML + CSS + a small
// script that polls the control API every 2 s. Message text is untrusted: the DOM is built with
// textContent, and innerHTML is given only what renderMarkdown returns (every text escaped,
// only http(s) links).
import { INBOX_STYLE } from './inbox-style';
import { markdownScript } from './markdown-browser';

export const inboxPage = (): string => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Discord emulator inbox</title>
<style>
${INBOX_STYLE}</style>
</head>
<body>
<header><h1>Discord emulator inbox</h1><span class="meta" id="status">loading…</span></header>
<main id="inbox"><div class="empty">No messages yet.</div></main>
<script>
(() => {
  'use strict';
${markdownScript()}

  const inbox = document.getElementById('inbox');
  const status = document.getElementById('status');
  let lastKey = '';

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function colorOf(value) {
    return Number.isInteger(value) && value >= 0 && value <= 0xffffff ? '#' + value.toString(16).padStart(6, '0') : '#1e1f22';
  }

  function safeUrl(value) {
    try {
      const url = new URL(String(value));
      return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
    } catch {
      return null;
    }
  }

  // Attachment URLs are absolute on the emulator's own address; load them from the page's origin,
  // which is the emulator as this browser reaches it (the two differ behind a port mapping).
  function mediaUrl(value) {
    try {
      const url = new URL(String(value), location.href);
      if (url.pathname.startsWith('/attachments/')) return location.origin + url.pathname;
      return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
    } catch {
      return null;
    }
  }

  function formatSize(bytes) {
    if (bytes < 1024) return bytes + ' bytes';
    if (bytes < 1024 * 1024) return (bytes / 1024).toFixed(2) + ' KB';
    return (bytes / 1024 / 1024).toFixed(2) + ' MB';
  }

  function image(className, value, alt) {
    const src = mediaUrl(value);
    if (!src) return null;
    const img = el('img', className);
    img.src = src;
    img.alt = alt || '';
    return img;
  }

  // What Discord's client shows inline; any other file is a link.
  const INLINE_IMAGES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'];

  function renderAttachment(a) {
    if (INLINE_IMAGES.includes(a.content_type)) {
      const img = image('attachment-image', a.url, a.filename);
      if (img) img.title = a.filename + ' · ' + formatSize(a.size);
      return img;
    }
    const href = mediaUrl(a.url);
    if (!href) return null;
    const box = el('div', 'attachment-file');
    const link = el('a', 'attachment-name', a.filename);
    link.href = href;
    link.download = a.filename;
    link.rel = 'noopener noreferrer';
    box.append(link, el('span', 'attachment-size', formatSize(a.size)));
    return box;
  }

  // Markdown as HTML from renderMarkdown, which escapes all text: the one use of innerHTML.
  function md(tag, className, text, ctx, mode) {
    const node = el(tag, className);
    node.innerHTML = renderMarkdown(String(text), ctx, mode);
    return node;
  }

  // Names for mentions, from the world: a member's nickname in the message's guild, else the
  // user's global name, else the username (as the client shows them).
  function markdownContexts(state) {
    const users = new Map([[state.bot.id, state.bot.username]]);
    for (const u of state.users || []) users.set(u.id, u.global_name || u.username);
    const nicks = new Map();
    const roles = new Map();
    const channels = new Map();
    for (const g of state.guilds || []) {
      for (const m of g.members || []) if (m.nick) nicks.set(g.id + ':' + m.user_id, m.nick);
      for (const r of g.roles || []) roles.set(r.id, r.name);
      for (const c of g.channels || []) channels.set(c.id, c.name);
    }
    return (guildId) => ({
      user: (id) => nicks.get(guildId + ':' + id) || users.get(id),
      role: (id) => roles.get(id),
      channel: (id) => channels.get(id),
      timestamp: (unix, style) => formatTimestamp(unix, style, { now: Date.now() }),
    });
  }

  // Relative timestamps ("5 minutes ago") move on between renders.
  function refreshRelativeTimes() {
    for (const node of document.querySelectorAll('time.md-timestamp[data-style="R"]')) {
      const shown = formatTimestamp(Number(node.dataset.unix), 'R', { now: Date.now() });
      if (shown) node.textContent = shown.text;
    }
  }

  function formatTime(iso) {
    const date = new Date(iso);
    return Number.isNaN(date.getTime()) ? '' : date.toLocaleString();
  }

  // Author names and footers are plain text in Discord; titles and field names limited markdown.
  function renderEmbed(embed, ctx) {
    const box = el('div', 'embed');
    box.style.borderLeftColor = colorOf(embed.color);
    if (embed.author && embed.author.name) box.append(el('div', 'e-author', embed.author.name));
    if (embed.title) {
      const href = embed.url ? safeUrl(embed.url) : null;
      if (href) {
        const title = el('div', 'e-title');
        const link = md('a', '', embed.title, ctx, 'title');
        link.href = href;
        link.rel = 'noopener noreferrer';
        link.target = '_blank';
        title.append(link);
        box.append(title);
      } else {
        box.append(md('div', 'e-title', embed.title, ctx, 'title'));
      }
    }
    if (embed.description) box.append(md('div', 'e-description', embed.description, ctx, 'full'));
    if (Array.isArray(embed.fields) && embed.fields.length) {
      const fields = el('div', 'e-fields');
      for (const field of embed.fields) {
        const f = el('div', field.inline ? 'e-field inline' : 'e-field');
        f.append(md('div', 'e-field-name', field.name, ctx, 'title'), md('div', 'e-field-value', field.value, ctx, 'full'));
        fields.append(f);
      }
      box.append(fields);
    }
    const thumbnail = embed.thumbnail && image('e-thumbnail', embed.thumbnail.url, '');
    if (thumbnail) box.append(thumbnail);
    const picture = embed.image && image('e-image', embed.image.url, '');
    if (picture) box.append(picture);
    const footer = [embed.footer && embed.footer.text, embed.timestamp && formatTime(embed.timestamp)].filter(Boolean);
    if (footer.length) box.append(el('div', 'e-footer', footer.join(' • ')));
    return box;
  }

  function renderMessage(m, users, ctx) {
    const row = el('div', 'message');
    const head = el('div', 'head');
    const author = users.get(m.author_id);
    head.append(el('span', 'author', author ? author.name : m.author_id));
    if (author && author.bot) head.append(el('span', 'bot-tag', 'BOT'));
    head.append(el('span', 'time', formatTime(m.timestamp)));
    if (m.nonce !== null && m.nonce !== undefined) head.append(el('span', 'nonce', 'nonce ' + m.nonce));
    row.append(head);
    if (m.content) row.append(md('div', 'content', m.content, ctx, 'full'));
    // Like Discord's client: a file an embed shows (attachment://) is not listed again below.
    const inEmbeds = new Set();
    for (const embed of m.embeds || []) {
      row.append(renderEmbed(embed, ctx));
      for (const part of [embed.image, embed.thumbnail]) if (part && part.url) inEmbeds.add(part.url);
    }
    const files = (m.attachments || []).filter((a) => !inEmbeds.has(a.url)).map(renderAttachment).filter(Boolean);
    if (files.length) {
      const list = el('div', 'attachments');
      list.append(...files);
      row.append(list);
    }
    return row;
  }

  function render(state, messages) {
    const users = new Map();
    users.set(state.bot.id, { name: state.bot.username, bot: true });
    for (const u of state.users || []) users.set(u.id, { name: u.global_name || u.username, bot: !!u.bot });
    const channels = new Map();
    for (const g of state.guilds || []) for (const c of g.channels || []) channels.set(c.id, { guild: g.name, name: c.name });
    const contextFor = markdownContexts(state);

    const groups = new Map();
    for (const m of messages) {
      const key = m.recipient_id ? 'dm:' + m.recipient_id : 'ch:' + m.channel_id;
      if (!groups.has(key)) {
        const user = m.recipient_id ? users.get(m.recipient_id) : null;
        const channel = channels.get(m.channel_id);
        groups.set(key, {
          kind: m.recipient_id ? 'DM with' : (channel ? channel.guild + ' ›' : 'channel'),
          title: m.recipient_id ? (user ? user.name : m.recipient_id) : '#' + (channel ? channel.name : m.channel_id),
          messages: [],
        });
      }
      groups.get(key).messages.push(m);
    }

    const sections = [...groups.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([key, group]) => {
      const section = el('section', 'conversation');
      section.dataset.key = key;
      const h2 = el('h2');
      h2.append(el('span', 'kind', group.kind), document.createTextNode(group.title));
      section.append(h2);
      for (const m of group.messages) section.append(renderMessage(m, users, contextFor(m.guild_id)));
      return section;
    });
    inbox.replaceChildren(...(sections.length ? sections : [el('div', 'empty', 'No messages yet.')]));
  }

  async function refresh() {
    try {
      const [state, data] = await Promise.all([
        fetch('/_emulator/state').then((r) => r.json()),
        fetch('/_emulator/messages').then((r) => r.json()),
      ]);
      const messages = data.messages || [];
      const key = messages.length + ':' + (messages.length ? messages[messages.length - 1].id : '');
      if (key !== lastKey) {
        lastKey = key;
        render(state, messages);
      } else {
        refreshRelativeTimes();
      }
      status.textContent = messages.length + ' message(s) · updated ' + new Date().toLocaleTimeString();
    } catch (error) {
      status.textContent = 'emulator unreachable: ' + error;
    }
  }

  refresh();
  setInterval(refresh, 2000);
})();
</script>
</body>
</html>
`;
