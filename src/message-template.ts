import {html, nothing, type TemplateResult} from 'lit';
import type {DirectiveResult} from 'lit/directive.js';
import type {ChatError, ChatRetry, ChatSessionMessage} from './core/index.js';
import {isToolCallReason} from './core/answer.js';
import {fill, type ChatStrings} from './strings.js';
import {messageAttachments} from './attachment-template.js';
import {toolCards} from './tool-cards.js';

/** The message actions `actions` can list, in the order they show. */
export type MessageAction = 'copy' | 'regenerate' | 'edit' | 'feedback';

/** How one message shows, beyond its text. @internal */
export interface MessageContext {
  /** Whether its text renders as Markdown (styled by `.markdown`). */
  markdown: boolean;
  /** Whether it is the conversation's last message (Retry, Regenerate). */
  last: boolean;
  /** Whether it is the last user message (Edit). */
  lastQuestion: boolean;
  /** Whether its inline editor is open. */
  editing: boolean;
  /** Its reasoning's section, above its text (see reasoning-sections.ts). */
  reasoning: TemplateResult | typeof nothing;
  /** The wait to send its request again, while one runs. */
  retrying: ChatRetry | undefined;
  /** The actions that show. */
  actions: ReadonlySet<string>;
  /** The words it shows and is named with, and the locale they are of (for numbers). */
  strings: ChatStrings;
  locale: string;
  /** Goes on its text's container: binds the container to the message's view once rendered. */
  bind: DirectiveResult;
}

// Icons drawn with strokes in a 24-unit box; the thumbs-down is the thumbs-up turned over.
const ICONS = {
  copy: 'M8 8h12v12H8zM4 16V4h12',
  regenerate: 'M20 12a8 8 0 1 1-2.3-5.7M20 4v4h-4',
  feedback: 'M7 11v9H4v-9zm0 0 4-7c1.4 0 2.5 1 2.5 2.5V10H19a2 2 0 0 1 2 2.4l-1.3 6A2 2 0 0 1 17.7 20H7',
  edit: 'M4 20h4L19 9l-4-4L4 16zm9-13 4 4',
};

/**
 * A message: the files sent with it, its text's container (filled by its view), then what
 * shows under it: the inline editor, its tool calls' cards, the waiting indicator or the
 * retry's note, a note, the error with Retry (offline, only once the browser is back online:
 * sent before, it would fail at once), the actions. Actions are found by one listener on the
 * log through `data-action` and the message's `data-id`.
 *
 * @internal
 */
export function messageTemplate(message: ChatSessionMessage, context: MessageContext): TemplateResult {
  const {role, status, content, id} = message;
  const {strings} = context;
  const waiting = status === 'streaming' && content === '';
  const shownNote = note(message, strings);
  // Who said it and, for an answer, how it stands: a screen reader names the group so.
  const state = role !== 'assistant' ? '' : status === 'streaming' ? strings.streaming : status === 'stopped' ? strings.stopped : status === 'error' ? strings.failed : '';
  return html`
    <div part="message ${role}" role="group" aria-label=${state ? fill(strings.named, {who: strings.assistant, state}) : role === 'user' ? strings.user : strings.assistant} data-id=${id} data-status=${waiting ? 'waiting' : status}>
      ${messageAttachments(message.attachments, strings, context.locale)}
      ${context.reasoning}
      <div part="content" dir="auto" class=${context.markdown ? 'markdown' : ''} ?hidden=${context.editing} ${context.bind}></div>
      ${context.editing ? editor(content, strings) : nothing}
      ${toolCards(message.toolCalls, strings)}
      ${context.retrying
        ? html`<div part="status">${retryText(context.retrying, strings, context.locale)}</div>`
        : waiting
          ? html`<div part="status" class="waiting" role="img" aria-label=${strings.waiting}><span></span><span></span><span></span></div>`
          : status === 'stopped' || shownNote
            ? html`<div part="status">${shownNote ?? strings.stopped}</div>`
            : status === 'error'
              ? html`<div part="error">
                  ${errorLines(message.error, strings, context.locale)}
                  ${context.last && (message.error?.code !== 'offline' || navigator.onLine)
                    ? html`<button part="retry-button" type="button" data-action="retry">${strings.retry}</button>`
                    : nothing}
                </div>`
              : nothing}
      ${actions(message, context)}
    </div>
  `;
}

/** The reader's sentence, then the technical message under it (what the server or the network said) when it adds to it. */
function errorLines(error: ChatError | undefined, strings: ChatStrings, locale: string) {
  const sentence = errorText(error, strings, locale);
  const detail = error?.message;
  return html`${sentence} ${detail && detail !== sentence ? html`<span class="detail">${detail}</span>` : nothing}`;
}

/** chat-stream's own codes for an answer it could not read: the reader sees one sentence for them. */
const READ_ERRORS = new Set(['invalid_response', 'invalid_json', 'truncated', 'empty_response', 'format_failed', 'invalid_request']);

/**
 * A failed answer's message for the reader, in the element's language: the backend's or the
 * provider's own message as it is, else a sentence for the kind of failure (the `error` event
 * keeps the full technical message). @internal
 */
export function errorText(error: ChatError | undefined, strings: ChatStrings, locale: string): string {
  if (!error) return strings.error;
  if (error.kind === 'network') return error.code === 'timeout' ? strings.timeoutError : error.code === 'offline' ? strings.offlineError : strings.networkError;
  if (error.kind === 'http') return fill(strings.httpError, {code: error.code}, locale);
  if (READ_ERRORS.has(String(error.code))) return fill(strings.readError, {code: error.code}, locale);
  return error.message || strings.error;
}

/** The note on an answer whose request waits to be sent again, or whose broken connection is resumed. @internal */
export function retryText({resume, delay, attempt, attempts}: ChatRetry, strings: ChatStrings, locale: string): string {
  return resume ? strings.reconnecting : fill(strings.retrying, {seconds: Math.ceil(delay / 1000), attempt, attempts}, locale);
}

function actions(message: ChatSessionMessage, {actions: shown, last, lastQuestion, editing, strings}: MessageContext) {
  const {role, status, feedback} = message;
  const ended = role === 'assistant' && (status === 'done' || status === 'stopped');
  const [copy, regenerate, rated] = [ended && shown.has('copy'), ended && last && shown.has('regenerate'), ended && shown.has('feedback')];
  const edit = role === 'user' && lastQuestion && !editing && shown.has('edit');
  if (!(copy || regenerate || rated || edit)) return nothing;
  // One expression per button: a button that comes or goes never shifts focus onto another.
  return html`<div part="actions">${copy ? action('copy', 'copy-answer-button', strings.copy) : nothing}${
    regenerate ? action('regenerate', 'regenerate-button', strings.regenerate) : nothing
  }${rated ? action('up', 'feedback-up-button', strings.good, feedback === 'up') : nothing}${
    rated ? action('down', 'feedback-down-button', strings.bad, feedback === 'down') : nothing
  }${edit ? action('edit', 'edit-button', strings.edit) : nothing}</div>`;
}

/** The message actions' parts: a union, not `string`, so that the manifest's test (test/node/manifest.test.js) knows them from the source. */
type ActionPart = 'copy-answer-button' | 'regenerate-button' | 'feedback-up-button' | 'feedback-down-button' | 'edit-button';

function action(name: string, part: ActionPart, label: string, pressed?: boolean) {
  const icon = name === 'up' || name === 'down' ? 'feedback' : (name as keyof typeof ICONS);
  return html`<button part=${part} type="button" data-action=${name} aria-label=${label} title=${label} aria-pressed=${pressed ?? nothing}>
    <svg viewBox="0 0 24 24" aria-hidden="true" class=${name}><path d=${ICONS[icon]}></path></svg>
  </button>`;
}

function editor(content: string, strings: ChatStrings) {
  return html`<form part="editor" data-action="save">
    <textarea part="editor-input" rows="3" aria-label=${strings.editInput} .value=${content}></textarea>
    <div>
      <button part="editor-cancel-button" type="button" data-action="cancel">${strings.cancel}</button>
      <button part="editor-send-button" type="submit" aria-label=${strings.sendEdited}>${strings.send}</button>
    </div>
  </form>`;
}

/** How many tool names a note lists: the model chooses them, so their number is capped. */
const NAMED_TOOLS = 3;

/** The note under an answer that is complete as sent but was cut short, or asked for tools, by its finish reason. */
function note({status, finishReason, toolCalls = []}: ChatSessionMessage, strings: ChatStrings): string | undefined {
  if (status !== 'done') return undefined;
  // OpenAI's chat completions, Anthropic, OpenAI's Responses.
  if (finishReason === 'length' || finishReason === 'max_tokens' || finishReason === 'max_output_tokens') return strings.cutShort;
  if (finishReason === 'content_filter') return strings.filtered;
  if (toolCalls.length === 0 && !(finishReason && isToolCallReason(finishReason))) return undefined;
  // Calls that the session's tools ran (or refused) are no dead end.
  if (toolCalls.some((call) => call.state !== 'asked')) return undefined;
  const names = toolCalls.slice(0, NAMED_TOOLS).map((call) => call.name || '?').join(', ') + (toolCalls.length > NAMED_TOOLS ? ', …' : '');
  return fill(strings.tools, {tools: names || '?'});
}
