import {html, nothing, type TemplateResult} from 'lit';
import {guard} from 'lit/directives/guard.js';
import type {ChatSessionMessage, ChatSessionToolCall, ChatToolState} from './core/index.js';
import {fill, type ChatStrings} from './strings.js';

/** Each state's label among the strings. */
const STATE_LABELS: Record<ChatToolState, keyof ChatStrings> = {
  approval: 'toolWaiting',
  running: 'toolRunning',
  done: 'toolDone',
  failed: 'toolFailed',
  denied: 'toolDenied',
  stopped: 'stopped',
  asked: 'toolAsked',
};

/**
 * The cards of an answer's tool calls, in order. A card is drawn anew only when its call
 * changed (or the strings did): a render of a long conversation leaves the others alone, and
 * a call changed in place while its answer streams is still seen.
 *
 * @internal
 */
export function toolCards(calls: readonly ChatSessionToolCall[] | undefined, strings: ChatStrings): TemplateResult | typeof nothing {
  if (!calls?.length) return nothing;
  return html`<div class="tool-calls">${calls.map((call) => guard([call, call.state, call.arguments, call.input, call.result, call.error, call.server, strings], () => card(call, strings)))}</div>`;
}

/**
 * One call: its name, its arguments on one line, its state, the error of a failed call,
 * Approve and Deny while it waits for the reader, and the arguments and result in full,
 * collapsed. Everything from the model or a tool is text. Focusable from code only: a click on
 * Approve or Deny leaves focus on the card rather than on the page's `<body>`.
 */
function card(call: ChatSessionToolCall, strings: ChatStrings): TemplateResult {
  const {id, state, server} = call;
  const name = call.name || '?';
  const label = strings[STATE_LABELS[state]] ?? state;
  const done = state === 'done';
  return html`<div part="tool-call ${state}${server ? ' server' : ''}" role="group" aria-label=${fill(strings.named, {who: name, state: label})} data-state=${state} data-call=${id} tabindex="-1">
    <div class="tool-head">
      <span class="tool-name">${name}</span>
      ${call.arguments ? html`<code class="tool-arguments" dir="ltr">${call.arguments}</code>` : nothing}
      <span class="tool-state">${label}</span>
    </div>
    ${state === 'failed' && call.error ? html`<div class="tool-error" dir="auto">${call.error}</div>` : nothing}
    ${state === 'approval' && !server
      ? html`<div class="tool-buttons">
          <button part="tool-approve-button" type="button" data-action="approve" aria-label=${fill(strings.approveTool, {tool: name})}>${strings.approve}</button>
          <button part="tool-deny-button" type="button" data-action="deny" aria-label=${fill(strings.denyTool, {tool: name})}>${strings.deny}</button>
        </div>`
      : nothing}
    <details>
      <summary>${done ? strings.toolResult : strings.toolArguments}</summary>
      <dl>
        <dt>${strings.toolArguments}</dt>
        <dd><pre dir="ltr" tabindex="0">${call.input === undefined ? call.arguments : shownValue(call.input)}</pre></dd>
        ${done ? html`<dt>${strings.toolResult}</dt><dd><pre dir="ltr" tabindex="0">${shownValue(call.result)}</pre></dd>` : nothing}
      </dl>
    </details>
  </div>`;
}

/** A value as the reader sees it: a string as it is, anything else as indented JSON (or as text when JSON cannot say it). */
function shownValue(value: unknown): string {
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value, null, 2) ?? String(value);
  } catch {
    return String(value);
  }
}

/**
 * The tool calls of the conversation's last answer that have begun to wait for the reader's
 * approval since the last look, each once (calls the backend runs wait for no one here).
 *
 * @internal
 */
export class ApprovalNotices {
  readonly #seen = new Set<string>();

  /** The names of the calls of `message` newly waiting for approval. */
  newlyWaiting(message: ChatSessionMessage | undefined): string[] {
    const names: string[] = [];
    for (const call of (message?.toolCalls ?? []) as ChatSessionToolCall[]) {
      const key = `${message!.id}\n${call.id}`;
      if (call.state !== 'approval' || call.server || this.#seen.has(key)) continue;
      this.#seen.add(key);
      names.push(call.name || '?');
    }
    return names;
  }
}
