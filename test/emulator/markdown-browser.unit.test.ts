// The inbox page's markdown script is self-contained: run in an empty context (no module scope,
// no Node globals), it renders exactly what the module does.
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { markdownScript } from '../../src/emulator/markdown-browser';
import { renderMarkdown, type MarkdownContext } from '../../src/emulator/markdown';
import { formatTimestamp } from '../../src/emulator/markdown-timestamp';

const SAMPLE = [
  '# Cleanup of **Demo\\*Guild** <t:1796183013:D> <t:1796183013:R>',
  '> quoted <@1> <@&2> <#3> </cc:4> <:ok:5> ||s|| ~~x~~ __u__ _i_',
  '- [link](https://example.com) https://example.com <https://e.com>',
  '1. `code` ```js\nconst a = "</script>";\n```',
].join('\n');

describe('markdownScript', () => {
  it('runs alone and renders as the module', () => {
    const names = (id: string) => ({ '1': 'Erin', '2': 'Moderator', '3': 'admin' })[id];
    const options = { now: 1_796_000_000_000, locale: 'en-US', timeZone: 'UTC' };
    const context = vm.createContext({ names, options, SAMPLE });
    const fromScript = vm.runInContext(
      `${markdownScript()}
      renderMarkdown(SAMPLE, {
        user: names, role: names, channel: names,
        timestamp: (unix, style) => formatTimestamp(unix, style, options),
      });`,
      context,
    ) as string;
    const ctx: MarkdownContext = {
      user: names,
      role: names,
      channel: names,
      timestamp: (unix, style) => formatTimestamp(unix, style, options),
    };
    expect(fromScript).toBe(renderMarkdown(SAMPLE, ctx));
    expect(fromScript).toContain('<strong>Demo*Guild</strong>');
  });

  it('cannot close the script element it is in', () => {
    expect(markdownScript()).not.toMatch(/<\/script/i);
  });
});
