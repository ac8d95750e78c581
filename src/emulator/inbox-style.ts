// The inbox page's stylesheet: Discord's dark theme for messages, embeds, attachments and the
// markdown that markdown.ts renders (classes md-*).

export const INBOX_STYLE = `
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
  .md-h { margin: 8px 0 0; color: #f2f3f5; font-weight: 700; line-height: 1.375; }
  h1.md-h { font-size: 1.5rem; } h2.md-h { font-size: 1.25rem; } h3.md-h { font-size: 1rem; }
  .md-subtext { font-size: 12px; color: #949ba4; }
  .md-list { margin: 4px 0 0 16px; padding: 0 0 0 16px; }
  .md-list li { margin-bottom: 4px; }
  .md-quote { margin: 0; padding: 0 8px 0 12px; border-left: 4px solid #4e5058; border-radius: 4px; }
  .md-code { font: 85%/1.125rem Consolas, "Andale Mono", "Lucida Console", monospace; padding: 0.2em; border-radius: 4px; background: #1e1f22; }
  .md-codeblock { margin: 6px 0 0; padding: 0.5em; border: 1px solid #1e1f22; border-radius: 4px; background: #1e1f22; font: 14px/1.125rem Consolas, "Andale Mono", "Lucida Console", monospace; white-space: pre-wrap; overflow-wrap: anywhere; }
  .md-link { color: #00a8fc; text-decoration: none; }
  .md-link:hover { text-decoration: underline; }
  .md-mention { background: rgba(88, 101, 242, 0.3); color: #c9cdfb; border-radius: 3px; padding: 0 2px; font-weight: 500; }
  .md-timestamp { background: rgba(78, 80, 88, 0.48); border-radius: 3px; padding: 0 2px; }
  .md-spoiler { background: rgba(255, 255, 255, 0.1); border-radius: 3px; cursor: pointer; }
  .md-spoiler:not(:hover):not(:focus) { background: #1e1f22; color: transparent; }
  .md-spoiler:not(:hover):not(:focus) * { visibility: hidden; }
`;
