// The markdown renderer as a script for the inbox page, which renders in the browser (timestamps
// in the reader's locale; the page reads the world and messages from the control API as JSON).
// The script is the source of the very functions the unit tests exercise (markdown.ts,
// markdown-timestamp.ts), so page and tests cannot drift apart. Function.prototype.toString gives
// the code as the runtime loaded it, already JavaScript (tsx or vitest). Rules for the shipped
// functions: no module-level constants and no calls into other modules (vitest rewrites imported
// names inside function bodies); markdown.ts gets timestamps through its context instead.
// esbuild (under both runners) keeps function names with a `__name(fn, "name")` helper defined
// outside the functions: the script defines its own. Coverage that instruments source (istanbul)
// would break this; v8 coverage does not. `</` is written `<\/` (the same in strings, templates
// and regular expressions), so no `</script>` in the code can end the page's script element.
// markdown-browser.unit.test.ts runs the script in an empty context.
import { TIMESTAMP_FUNCTIONS } from './markdown-timestamp';
import { MARKDOWN_FUNCTIONS } from './markdown';

/** Declares renderMarkdown, formatTimestamp and their helpers; defines no globals of its own. */
export function markdownScript(): string {
  const functions = [...MARKDOWN_FUNCTIONS, ...TIMESTAMP_FUNCTIONS];
  const source = ['const __name = (fn) => fn;', ...functions.map((fn) => fn.toString())].join('\n');
  return source.replace(/<\//g, '<\\/');
}
