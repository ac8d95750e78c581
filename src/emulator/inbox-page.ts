// The inbox page at GET /: DMs grouped by user, channel messages grouped by channel, embeds drawn
// like Discord's, attachments as Discord's client shows them (images inline, other files as a
// link with name and size). Plain HTML + CSS + a small script that polls the control API every 2 s and
// builds the DOM with textContent only (message text is untrusted: no innerHTML anywhere).

export const inboxPage = (): string => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Discord emulator inbox</title>
<style>
  :root { color-scheme: dark; }
  body { margin: 0; font: 15px/1.375 "gg sans", "Noto Sans", Helvetica, Arial, sans-serif; background: #313338; color: #dbdee1; }
  header { padding: 12px 20px; background: #2b2d31; border-bottom: 1px solid #1f2023; display: flex; gap: 16px; align-items: baseline; }
  header h1 { font-size: 16px; margin: 0; color: #f2f3f5; }
  header .meta { color: #949ba4; font-size: 13px; }
  main { display: grid; grid-template-columns: repeat(auto-fill, minmax(480px, 1fr)); gap: 16px; padding: 16px 20px; }
  section.conversation { background: #2b2d31; border-radius: 8px; padding: 8px 0 12px; min-width: 0; }
  section.conversation > h2 { font-size: 14px; margin: 4px 16px 8px; color: #f2f3f5; }
  section.conversation > h2 .kind { color: #949ba4; font-weight: normal; margin-right: 6px; }
  .empty { color: #949ba4; padding: 20px; }
  .message { padding: 6px 16px; }
  .message:hover { background: #2e3035; }
  .message .head { display: flex; gap: 8px; align-items: baseline; }
  .message .author { color: #f2f3f5; font-weight: 600; }
  .message .bot-tag { background: #5865f2; color: #fff; font-size: 10px; font-weight: 600; border-radius: 3px; padding: 0 4px; }
  .message .time { color: #949ba4; font-size: 12px; }
  .message .content { white-space: pre-wrap; overflow-wrap: anywhere; }
  .message .nonce { color: #6d6f78; font-size: 11px; }
  .embed { display: grid; max-width: 516px; margin-top: 4px; background: #2b2d31; border: 1px solid #1e1f22; border-left: 4px solid #1e1f22; border-radius: 4px; padding: 8px 16px 16px 12px; box-sizing: border-box; }
  .embed .e-author { font-size: 14px; font-weight: 600; color: #f2f3f5; margin-top: 8px; }
  .embed .e-title { font-weight: 600; color: #f2f3f5; margin-top: 8px; overflow-wrap: anywhere; }
  .embed .e-title a { color: #00a8fc; text-decoration: none; }
  .embed .e-description { font-size: 14px; margin-top: 8px; white-space: pre-wrap; overflow-wrap: anywhere; }
  .embed .e-fields { display: grid; grid-template-columns: repeat(12, 1fr); gap: 8px; margin-top: 8px; }
  .embed .e-field { grid-column: 1 / 13; min-width: 0; }
  .embed .e-field.inline { grid-column: span 4; }
  .embed .e-field-name { font-size: 14px; font-weight: 600; color: #f2f3f5; margin-bottom: 2px; overflow-wrap: anywhere; }
  .embed .e-field-value { font-size: 14px; white-space: pre-wrap; overflow-wrap: anywhere; }
  .embed .e-footer { font-size: 12px; color: #b5bac1; margin-top: 8px; }
  .embed .e-image { max-width: 100%; max-height: 300px; border-radius: 4px; margin-top: 16px; }
  .embed .e-thumbnail { max-width: 80px; max-height: 80px; border-radius: 4px; margin-top: 8px; }
  .attachments { display: flex; flex-direction: column; align-items: flex-start; gap: 4px; margin-top: 4px; }
  .attachment-image { max-width: 400px; max-height: 300px; border-radius: 8px; }
  .attachment-file { display: flex; gap: 8px; align-items: baseline; background: #2b2d31; border: 1px solid #1e1f22; border-radius: 8px; padding: 10px 12px; }
  .attachment-file a { color: #00a8fc; text-decoration: none; overflow-wrap: anywhere; }
  .attachment-file .attachment-size { color: #949ba4; font-size: 12px; }
</style>
</head>
<body>
<header><h1>Discord emulator inbox</h1><span class="meta" id="status">loading…</span></header>
<main id="inbox"><div class="empty">No messages yet.</div></main>
<script>
(() => {
  'use strict';
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

  function formatTime(iso) {
    const date = new Date(iso);
    return Number.isNaN(date.getTime()) ? '' : date.toLocaleString();
  }

  function renderEmbed(embed) {
    const box = el('div', 'embed');
    box.style.borderLeftColor = colorOf(embed.color);
    if (embed.author && embed.author.name) box.append(el('div', 'e-author', embed.author.name));
    if (embed.title) {
      const title = el('div', 'e-title');
      const href = embed.url ? safeUrl(embed.url) : null;
      if (href) {
        const link = el('a', '', embed.title);
        link.href = href;
        link.rel = 'noopener noreferrer';
        link.target = '_blank';
        title.append(link);
      } else {
        title.textContent = String(embed.title);
      }
      box.append(title);
    }
    if (embed.description) box.append(el('div', 'e-description', embed.description));
    if (Array.isArray(embed.fields) && embed.fields.length) {
      const fields = el('div', 'e-fields');
      for (const field of embed.fields) {
        const f = el('div', field.inline ? 'e-field inline' : 'e-field');
        f.append(el('div', 'e-field-name', field.name), el('div', 'e-field-value', field.value));
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

  function renderMessage(m, users) {
    const row = el('div', 'message');
    const head = el('div', 'head');
    const author = users.get(m.author_id);
    head.append(el('span', 'author', author ? author.name : m.author_id));
    if (author && author.bot) head.append(el('span', 'bot-tag', 'BOT'));
    head.append(el('span', 'time', formatTime(m.timestamp)));
    if (m.nonce !== null && m.nonce !== undefined) head.append(el('span', 'nonce', 'nonce ' + m.nonce));
    row.append(head);
    if (m.content) row.append(el('div', 'content', m.content));
    // Like Discord's client: a file an embed shows (attachment://) is not listed again below.
    const inEmbeds = new Set();
    for (const embed of m.embeds || []) {
      row.append(renderEmbed(embed));
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
      for (const m of group.messages) section.append(renderMessage(m, users));
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
