import {html, nothing, type TemplateResult} from 'lit';
import type {DirectiveResult} from 'lit/directive.js';
import type {ChatSessionMessage} from './core/index.js';
import {fill, type ChatStrings} from './strings.js';

/** How answers' reasoning shows: the `reasoning` attribute's values. */
export const REASONING_DISPLAYS = ['collapsed', 'open', 'hidden'] as const;

/** How answers' reasoning shows: folded (open while the model only thinks), always open, or not at all. */
export type ReasoningDisplay = (typeof REASONING_DISPLAYS)[number];

/**
 * Where an answer's reasoning stands: the model only thinks so far, the answer stopped or failed
 * before its text began, or the thinking is over.
 *
 * @internal
 */
export type ReasoningState = 'thinking' | 'stopped' | 'done';

/** Under this, how long the model thought is "a few seconds": a count that small says little. */
const BRIEF_MS = 2000;

/** Whether `message` is an answer with reasoning to show: none, or only white space (`<think></think>`), shows no section. @internal */
export function hasReasoning(message: ChatSessionMessage): boolean {
  return message.role === 'assistant' && (message.reasoning ?? '').trim() !== '';
}

/** @internal */
export function reasoningState({status, content}: ChatSessionMessage): ReasoningState {
  if (content !== '') return 'done';
  if (status === 'streaming') return 'thinking';
  return status === 'stopped' || status === 'error' ? 'stopped' : 'done';
}

/**
 * What the summary says: "Thinking…", "Thinking stopped", or how long the model thought, from
 * `reasoningMs` ("Reasoning" when it is not known).
 *
 * @internal
 */
export function reasoningSummary(message: ChatSessionMessage, strings: ChatStrings, locale: string): string {
  const state = reasoningState(message);
  if (state === 'thinking') return strings.thinking;
  if (state === 'stopped') return strings.thinkingStopped;
  const ms = message.reasoningMs;
  if (ms === undefined) return strings.reasoning;
  return ms < BRIEF_MS ? strings.thoughtBriefly : fill(strings.thought, {seconds: Math.round(ms / 1000)}, locale);
}

/** How one answer's reasoning section shows. @internal */
export interface ReasoningSectionContext {
  open: boolean;
  /** Whether the reasoning renders as Markdown (styled by `.markdown`). */
  markdown: boolean;
  strings: ChatStrings;
  locale: string;
  onToggle: (event: Event) => void;
  /** Goes on the reasoning's container: binds it to the reasoning's view once rendered. */
  bind: DirectiveResult;
}

/**
 * An answer's reasoning, above its text: a disclosure whose summary says how the thinking went,
 * and the reasoning's container (filled by its view, as an answer's text is). While the model
 * only thinks, the seconds so far stand beside the summary; they are written there once a second
 * (not rendered) and hidden from screen readers, for which the control stays "Thinking…".
 *
 * @internal
 */
export function reasoningSection(message: ChatSessionMessage, {open, markdown, strings, locale, onToggle, bind}: ReasoningSectionContext): TemplateResult {
  const state = reasoningState(message);
  return html`<details part="reasoning ${state}" .open=${open} @toggle=${onToggle}>
    <summary part="reasoning-summary">${reasoningSummary(message, strings, locale)}${state === 'thinking' ? html` <span class="thinking-time" aria-hidden="true"></span>` : nothing}</summary>
    <div part="reasoning-content" dir="auto" class=${markdown ? 'markdown' : ''} ${bind}></div>
  </details>`;
}
