import type {ChatRetryDetail, ChatSessionMessage} from './core/index.js';
import {errorText, retryText} from './message-template.js';
import {fill, type ChatStrings} from './strings.js';

/** An announced answer is cut here: the reader goes to the message for the rest. */
const ANNOUNCED = 400;

/** Elements whose edges separate words when read aloud. */
const SPOKEN_BREAKS = /^(?:BR|P|LI|H[1-6]|PRE|DIV|TR|TD|TH|BLOCKQUOTE|HR|UL|OL|TABLE)$/;

/** What an ending is announced from: its message, the drawn text of an answer, the strings shown. */
export interface EndContext {
  message: ChatSessionMessage | undefined;
  /** The container of the answer's drawn text, once bound. */
  content: HTMLElement | undefined;
  strings: ChatStrings;
  locale: string;
}

/**
 * What the live region says of a finished answer (its text as drawn), a failure, a stop or a
 * wait to retry (the log itself is silent), or `null` when nothing is said.
 *
 * @internal
 */
export function endAnnouncement(type: string, detail: {text?: string}, {message, content, strings, locale}: EndContext): string | null {
  if (type === 'done') {
    const text = (content ? spokenText(content, ANNOUNCED) : (detail.text ?? '')).trim().replace(/\s+/g, ' ');
    // An answer of tool calls alone says nothing: the answer after them is announced.
    if (text === '' && message?.toolCalls) return null;
    return fill(strings.answered, {text: text.length > ANNOUNCED ? `${text.slice(0, ANNOUNCED)}…` : text});
  }
  if (type === 'error' && message) return errorText(message.error, strings, locale);
  if (type === 'stop') return strings.stopped;
  if (type === 'retry') return retryText(detail as ChatRetryDetail, strings, locale);
  return null;
}

/**
 * The text of a drawn answer as a screen reader would speak it: words apart at line breaks and
 * block edges, code blocks without their header (language, Copy). Only its start is announced,
 * so the walk stops once its words (whitespace collapsed) run past `limit` characters.
 */
function spokenText(root: Node, limit: number): string {
  let text = '';
  let collapseAt = 2 * limit;
  const walk = (parent: Node): boolean => {
    for (const node of parent.childNodes) {
      if (node.nodeType === Node.TEXT_NODE) text += (node as Text).data;
      else if (node instanceof Element && !node.classList.contains('code-header')) {
        const gap = SPOKEN_BREAKS.test(node.tagName) ? ' ' : '';
        text += gap;
        if (walk(node)) return true;
        text += gap;
      }
      // Collapsed again only after `limit` more characters: linear however much whitespace it holds.
      if (text.length > collapseAt) {
        text = text.replace(/\s+/g, ' ');
        if (text.trimStart().length > limit + 1) return true;
        collapseAt = text.length + limit;
      }
    }
    return false;
  };
  walk(root);
  return text;
}
