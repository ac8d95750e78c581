// Unit tests of the inbox page's Discord markdown renderer: each rule, the title mode, escapes
// and hostile text (no server, no browser).
import { escapeMarkdown } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { renderMarkdown, type MarkdownContext } from '../../src/emulator/markdown';
import { formatTimestamp } from '../../src/emulator/markdown-timestamp';

const NOW = Date.UTC(2026, 10, 30, 12, 0, 0);
const ctx: MarkdownContext = {
  user: (id) => ({ '111': 'Erin', '222': 'Bobby' })[id],
  role: (id) => ({ '333': 'Moderator', '444': '@everyone' })[id],
  channel: (id) => ({ '555': 'admin' })[id],
  timestamp: (unix, style) => formatTimestamp(unix, style, { now: NOW, locale: 'en-US', timeZone: 'UTC' }),
};
const md = (source: string) => renderMarkdown(source, ctx);
const title = (source: string) => renderMarkdown(source, ctx, 'title');

describe('markdown: inline styles', () => {
  it('bold, italics, underline, strikethrough, spoilers', () => {
    expect(md('**Demo Guild**')).toBe('<strong>Demo Guild</strong>');
    expect(md('*a* and _b_')).toBe('<em>a</em> and <em>b</em>');
    expect(md('__under__ ~~gone~~')).toBe('<u>under</u> <s>gone</s>');
    expect(md('||secret||')).toBe('<span class="md-spoiler" tabindex="0">secret</span>');
  });

  it('nests styles and combines *** and ___', () => {
    expect(md('**bold _and italic_**')).toBe('<strong>bold <em>and italic</em></strong>');
    expect(md('***both***')).toBe('<strong><em>both</em></strong>');
    expect(md('__*under italic*__')).toBe('<u><em>under italic</em></u>');
  });

  it('leaves unmatched or spaced markers alone, and underscores inside words', () => {
    expect(md('2 * 3 * 4')).toBe('2 * 3 * 4');
    expect(md('**not closed')).toBe('**not closed');
    expect(md('snake_case_name')).toBe('snake_case_name');
  });

  it('inline code keeps its content raw', () => {
    expect(md('run `/cc-mine` now')).toBe('run <code class="md-code">/cc-mine</code> now');
    expect(md('`**not bold** <@111>`')).toBe('<code class="md-code">**not bold** &#60;@111&#62;</code>');
    expect(md('``a ` b``')).toBe('<code class="md-code">a ` b</code>');
  });
});

describe('markdown: blocks', () => {
  it('code blocks, with and without a language', () => {
    expect(md('```\n!greet *hi*\n```')).toBe('<pre class="md-codeblock"><code>!greet *hi*</code></pre>');
    expect(md('```js\nconst a = 1 < 2;\n```\nafter')).toBe(
      '<pre class="md-codeblock"><code data-language="js">const a = 1 &#60; 2;</code></pre>after',
    );
    // One line: the first word is content, not a language.
    expect(md('```js x```')).toBe('<pre class="md-codeblock"><code>js x</code></pre>');
  });

  it('quotes: > lines, >>> to the end, not nested', () => {
    expect(md('> one\n> **two**\nafter')).toBe(
      '<blockquote class="md-quote">one\n<strong>two</strong></blockquote>after',
    );
    expect(md('>>> all\nof this')).toBe('<blockquote class="md-quote">all\nof this</blockquote>');
    expect(md('> > inner')).toBe('<blockquote class="md-quote">&#62; inner</blockquote>');
    expect(md('a > b')).toBe('a &#62; b');
  });

  it('headers #, ##, ### and -# subtext, at the start of a line only', () => {
    expect(md('# Big\n## Mid\n### Small\ntext')).toBe(
      '<h1 class="md-h">Big</h1><h2 class="md-h">Mid</h2><h3 class="md-h">Small</h3>text',
    );
    expect(md('-# small print')).toBe('<div class="md-subtext">small print</div>');
    expect(md('#### four')).toBe('#### four');
    expect(md('not # a header')).toBe('not # a header');
    expect(md('#hashtag')).toBe('#hashtag');
  });

  it('lists: bullets, numbers (with their start), nesting by indentation', () => {
    expect(md('- one\n* **two**')).toBe('<ul class="md-list"><li>one</li><li><strong>two</strong></li></ul>');
    expect(md('3. three\n4. four')).toBe('<ol class="md-list" start="3"><li>three</li><li>four</li></ol>');
    expect(md('- a\n  - a1\n  - a2\n- b')).toBe(
      '<ul class="md-list"><li>a<ul class="md-list"><li>a1</li><li>a2</li></ul></li><li>b</li></ul>',
    );
    expect(md('intro\n- item\nafter')).toBe('intro\n<ul class="md-list"><li>item</li></ul>after');
    expect(md('- a\n1. one\n2. two\n- b')).toBe(
      '<ul class="md-list"><li>a</li></ul><ol class="md-list" start="1"><li>one</li><li>two</li></ol>' +
        '<ul class="md-list"><li>b</li></ul>',
    );
  });

  it('blocks inside a quote, and no blocks in inline spans', () => {
    expect(md('> # Title\n> - item')).toBe(
      '<blockquote class="md-quote"><h1 class="md-h">Title</h1><ul class="md-list"><li>item</li></ul></blockquote>',
    );
    expect(md('**# not a header**')).toBe('<strong># not a header</strong>');
  });
});

describe('markdown: links', () => {
  const a = (href: string, inner: string) =>
    `<a class="md-link" href="${href}" title="${href}" target="_blank" rel="noopener noreferrer">${inner}</a>`;

  it('masked links, <url> and bare URLs, http(s) only', () => {
    expect(md('[the **docs**](https://example.com/a_b)')).toBe(
      a('https://example.com/a_b', 'the <strong>docs</strong>'),
    );
    expect(md('see <https://example.com/x>')).toBe(
      `see ${a('https://example.com/x', 'https://example.com/x')}`,
    );
    expect(md('at https://example.com/page.')).toBe(
      `at ${a('https://example.com/page', 'https://example.com/page')}.`,
    );
    expect(md('[wiki](https://en.wikipedia.org/wiki/Foo_(bar))')).toBe(
      a('https://en.wikipedia.org/wiki/Foo_(bar)', 'wiki'),
    );
  });

  it('refuses other schemes and quotes in hrefs', () => {
    expect(md('[x](javascript:alert(1))')).toBe('[x](javascript:alert(1))');
    expect(md('[x](data:text/html,hi)')).toBe('[x](data:text/html,hi)');
    expect(md('[x](https://e.com/"onmouseover="alert(1))')).toBe(
      a('https://e.com/&#34;onmouseover=&#34;alert(1)', 'x'),
    );
  });

  it('no link inside a link', () => {
    expect(md('[https://a.com](https://b.com)')).toBe(a('https://b.com', 'https://a.com'));
  });
});

describe('markdown: mentions, timestamps, emoji', () => {
  const mention = (text: string) => `<span class="md-mention">${text}</span>`;

  it('users, roles and channels by name; unknown ones as Discord shows them', () => {
    expect(md('<@111> and <@!222>')).toBe(`${mention('@Erin')} and ${mention('@Bobby')}`);
    expect(md('<@999>')).toBe(mention('@unknown-user'));
    expect(md('<@&333> <@&444> <@&999>')).toBe(
      `${mention('@Moderator')} ${mention('@everyone')} ${mention('@deleted-role')}`,
    );
    expect(md('<#555> <#999>')).toBe(`${mention('#admin')} ${mention('#unknown')}`);
    expect(md('</cc-create:123> @everyone @here')).toBe(
      `${mention('/cc-create')} ${mention('@everyone')} ${mention('@here')}`,
    );
  });

  it('names are escaped', () => {
    const evil: MarkdownContext = { ...ctx, user: () => '<img src=x onerror=alert(1)>' };
    expect(renderMarkdown('<@1>', evil)).toBe(mention('@&#60;img src=x onerror=alert(1)&#62;'));
  });

  it('timestamps in every style, with the full date as a tooltip', () => {
    const unix = Date.UTC(2026, 10, 30, 10, 23, 33) / 1000; // a Monday
    const at = (style: string, text: string) =>
      `<time class="md-timestamp" datetime="2026-11-30T10:23:33.000Z" title="Monday, November 30, 2026 at 10:23 AM" data-unix="${unix}" data-style="${style}">${text}</time>`;
    expect(md(`<t:${unix}:t>`)).toBe(at('t', '10:23 AM'));
    expect(md(`<t:${unix}:T>`)).toBe(at('T', '10:23:33 AM'));
    expect(md(`<t:${unix}:d>`)).toBe(at('d', '11/30/2026'));
    expect(md(`<t:${unix}:D>`)).toBe(at('D', 'November 30, 2026'));
    expect(md(`<t:${unix}:f>`)).toBe(at('f', 'November 30, 2026 at 10:23 AM'));
    expect(md(`<t:${unix}>`)).toBe(at('f', 'November 30, 2026 at 10:23 AM'));
    expect(md(`<t:${unix}:F>`)).toBe(at('F', 'Monday, November 30, 2026 at 10:23 AM'));
    expect(md(`<t:${unix}:R>`)).toBe(at('R', '2 hours ago'));
  });

  it('an unknown style or a time out of range stays text', () => {
    expect(md('<t:1796183013:X>')).toBe('&#60;t:1796183013:X&#62;');
    expect(md('<t:99999999999999999>')).toBe('&#60;t:99999999999999999&#62;');
  });

  it('custom emoji as :name:, unicode emoji as they are', () => {
    expect(md('<:party:123456789012345678> <a:wave:123456789012345678> 🗑️')).toBe(
      '<span class="md-emoji" title=":party:">:party:</span> <span class="md-emoji" title=":wave:">:wave:</span> 🗑️',
    );
  });
});

describe('markdown: escapes and hostile text', () => {
  it('a backslash makes the next symbol literal', () => {
    expect(md('\\*not italic\\* \\_\\_x\\_\\_ \\\\ \\<@111>')).toBe('*not italic* __x__ \\ &#60;@111&#62;');
    expect(md('\\# not a header\n\\- not a list\n1\\. not a list')).toBe(
      '# not a header\n- not a list\n1. not a list',
    );
  });

  it("renders discord.js's escapeMarkdown output as the original text", () => {
    const original = 'Guild **One** _x_ __u__ `code` ~~s~~ ||sp|| \\ [a](b)\n# h\n- l\n1. n';
    const options = { heading: true, bulletedList: true, numberedList: true, maskedLink: true };
    expect(md(escapeMarkdown(original, options))).toBe(original);
  });

  it('escapes HTML everywhere: no markup from message text', () => {
    expect(md('<script>window.__xss=1</script>')).toBe('&#60;script&#62;window.__xss=1&#60;/script&#62;');
    expect(md('**<img src=x onerror="alert(1)">**')).toBe(
      '<strong>&#60;img src=x onerror=&#34;alert(1)&#34;&#62;</strong>',
    );
    expect(md("```html\n<script>'x'</script>\n```")).toBe(
      '<pre class="md-codeblock"><code data-language="html">&#60;script&#62;&#39;x&#39;&#60;/script&#62;</code></pre>',
    );
    expect(md('A & B')).toBe('A &#38; B');
  });
});

describe('markdown: titles', () => {
  it('inline styles, code and emoji only; mentions, timestamps, links and blocks stay text', () => {
    expect(title('**Bold** `code` <:ok:123>')).toBe(
      '<strong>Bold</strong> <code class="md-code">code</code> <span class="md-emoji" title=":ok:">:ok:</span>',
    );
    expect(title('<@111> <t:1796183013:D> [a](https://e.com) # h')).toBe(
      '&#60;@111&#62; &#60;t:1796183013:D&#62; [a](https://e.com) # h',
    );
  });
});
