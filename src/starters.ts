import {html, nothing, type TemplateResult} from 'lit';
import type {ChatStrings} from './strings.js';

/** A suggested first question: its button's text, and what clicking it sends. */
export interface ChatStarter {
  /** The button's text (default: the prompt). */
  title?: string;
  /** What clicking the button sends. */
  prompt: string;
}

/**
 * Reads the `starters` attribute: a JSON array (of strings or `{title, prompt}`) when it starts
 * with `[`, else prompts separated by `|`.
 *
 * @internal
 */
export function parseStarters(value: string | null): (string | ChatStarter)[] {
  const text = value?.trim() ?? '';
  if (!text.startsWith('[')) return text.split('|').map((prompt) => prompt.trim()).filter(Boolean);
  try {
    return JSON.parse(text);
  } catch (error) {
    console.error(`chat-stream: the starters attribute starts with "[" but is not JSON (${(error as Error).message}); write prompts separated by "|", or a JSON array`);
    return [];
  }
}

/** The starters that can be shown, each `{title, prompt}`; a bad entry is named in the console and left out. @internal */
export function toStarters(starters: unknown): Required<ChatStarter>[] {
  if (!Array.isArray(starters)) {
    if (starters != null) console.error('chat-stream: `starters` must be an array of strings or {title, prompt}');
    return [];
  }
  const shown: Required<ChatStarter>[] = [];
  starters.forEach((starter: unknown, index) => {
    const {prompt, title} = (typeof starter === 'string' ? {prompt: starter} : (starter ?? {})) as Partial<ChatStarter>;
    if (typeof prompt === 'string' && prompt.trim() !== '') shown.push({prompt, title: typeof title === 'string' && title ? title : prompt});
    else console.error(`chat-stream: starters[${index}] must be a non-empty string or {title, prompt}`);
  });
  return shown;
}

/** The empty conversation: the `empty` slot, and the starters' buttons under it. @internal */
export function emptyTemplate(starters: readonly Required<ChatStarter>[], strings: ChatStrings): TemplateResult {
  return html`<div class="empty">
      <slot name="empty"><p part="empty">${strings.empty}</p></slot>
      ${starters.length > 0
        ? html`<div part="starters">${starters.map(({title, prompt}) => html`<button part="starter-button" type="button" data-action="starter" data-prompt=${prompt}>${title}</button>`)}</div>`
        : nothing}
    </div>`;
}
