/**
 * Keeps a notification to MAX_MESSAGES_PER_NOTIFICATION messages. A builder lists `total`
 * items (commands, undeliverable DMs) and knows how to lay out the first `shown` of them
 * followed by a line about the rest; this module finds how many fit and, when not all do,
 * attaches the text files that list every item to the last message.
 *
 * When everything fits, the messages are exactly the builder's full layout, with no file.
 */
import type { MessagePayload } from '../contract';
import { MAX_MESSAGES_PER_NOTIFICATION } from './limits';
import type { TextFiles } from './text-files';

/** What the messages say about the items they do not show. */
export interface Overflow {
  /** Items not shown in the embeds (all of them are in the files). */
  hidden: number;
  files: TextFiles;
}

export interface FitInput {
  total: number;
  /** The messages showing the first `shown` items, then a line about `overflow` when given. */
  compose: (shown: number, overflow: Overflow | null) => MessagePayload[];
  /** The files listing every item; only called when they are needed. */
  files: () => TextFiles;
}

/**
 * For the builders' EmbedComposer (`stopAtMessages`): a layout that reaches one message
 * more than allowed has told all there is to know, so the composer stops there.
 */
export const STOP_AT_MESSAGES = MAX_MESSAGES_PER_NOTIFICATION + 1;

export function fitNotification(input: FitInput): MessagePayload[] {
  const max = MAX_MESSAGES_PER_NOTIFICATION;
  const everything = input.compose(input.total, null);
  if (everything.length <= max) return everything;

  const files = input.files();
  const layout = (shown: number) => input.compose(shown, { hidden: input.total - shown, files });
  const fits = (shown: number) => layout(shown).length <= max;
  if (!fits(0)) {
    // The fixed parts (introduction, hints) take a fraction of one message: a bug if not.
    throw new RangeError(`A notification does not fit in ${max} messages even without its list`);
  }
  const shown = largestFitting(input.total - 1, fits);
  const messages = layout(shown);
  const last = messages.length - 1;
  messages[last] = { ...messages[last]!, files: files.files };
  return messages;
}

/**
 * The largest n in [0, upTo] with fits(n), given fits(0). Doubling, then bisecting, so
 * the layouts tried stay near the answer (a few hundred items) even for a list of
 * 20,000. Showing more items never takes fewer messages, so the search is sound.
 */
function largestFitting(upTo: number, fits: (n: number) => boolean): number {
  let good = 0;
  let step = 1;
  let bad = upTo + 1;
  while (good + step <= upTo) {
    if (!fits(good + step)) {
      bad = good + step;
      break;
    }
    good += step;
    step *= 2;
  }
  while (bad - good > 1) {
    const middle = Math.floor((good + bad) / 2);
    if (fits(middle)) good = middle;
    else bad = middle;
  }
  return good;
}
