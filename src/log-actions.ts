import type {ReactiveController, ReactiveControllerHost} from 'lit';
import type {ChatResult, ChatSession} from './core/index.js';
import type {ChatStrings} from './strings.js';

/** What {@link LogActions} needs from its element. */
export interface LogActionsHost extends ReactiveControllerHost {
  readonly session: ChatSession;
  readonly renderRoot: HTMLElement | DocumentFragment;
}

/** Runs a session action for a person (see the element's `#act`). */
export type Act = (action: () => Promise<ChatResult>, typed: string | null) => Promise<ChatResult>;

/** How long "Copied" stays in the live region. */
const ANNOUNCEMENT_MS = 3000;
/** How long the live region stays empty before it speaks: long enough for screen readers to see a change. */
const ANNOUNCE_DELAY_MS = 100;

/**
 * What a person does in the conversation, through one listener each on the log: the message
 * actions (Copy, Regenerate, ratings, Edit), Retry, a tool call's Approve and Deny, the inline
 * editor and the starters. Keeps which message is being edited, where focus goes after the next
 * render, and what the live region announces.
 *
 * @internal
 */
export class LogActions implements ReactiveController {
  /** The id of the question whose inline editor is open. */
  editing: string | null = null;
  /** What the live region says (`Copied`). */
  announcement = '';
  readonly #host: LogActionsHost;
  readonly #act: Act;
  readonly #focusInput: () => void;
  readonly #stopFollowing: () => void;
  readonly #strings: () => ChatStrings;
  #focus: string | null = null;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(host: LogActionsHost, act: Act, focusInput: () => void, stopFollowing: () => void, strings: () => ChatStrings) {
    this.#host = host;
    this.#act = act;
    this.#focusInput = focusInput;
    this.#stopFollowing = stopFollowing;
    this.#strings = strings;
    host.addController(this);
  }

  hostUpdated(): void {
    const target = this.#focus && this.#host.renderRoot.querySelector<HTMLElement>(this.#focus);
    this.#focus = null;
    if (!target) return;
    target.focus({preventScroll: true});
    target.scrollIntoView({block: 'nearest'});
  }

  hostDisconnected(): void {
    clearTimeout(this.#timer);
  }

  readonly onClick = (event: Event): void => {
    const button = (event.target as Element).closest<HTMLElement>('button[data-action]');
    if (!button) return;
    const {session} = this.#host;
    const id = button.closest<HTMLElement>('[data-id]')?.dataset.id ?? '';
    const message = session.messages.find((entry) => entry.id === id);
    const action = button.dataset.action;
    if (action === 'retry' || action === 'regenerate') {
      // The button goes with the answer it replaces: keep keyboard focus in the element.
      this.#focusInput();
      this.#act(() => (action === 'retry' ? session.retry() : session.regenerate()), '').catch(console.error);
    } else if (action === 'starter') {
      const prompt = button.dataset.prompt!;
      this.#focusInput();
      this.#act(() => session.send(prompt), prompt).catch(console.error);
    } else if (action === 'copy' && message) {
      // No clipboard outside secure contexts (a page over plain http): that too is a failed copy.
      Promise.resolve(message.content).then((text) => navigator.clipboard.writeText(text)).then(
        () => this.announce(this.#strings().copied),
        (error) => {
          this.announce(this.#strings().copyFailed);
          console.warn('chat-stream: copying failed', error);
        },
      );
    } else if ((action === 'up' || action === 'down') && message) {
      session.setFeedback(id, message.feedback === action ? null : action);
    } else if (action === 'approve' || action === 'deny') {
      const callId = button.closest<HTMLElement>('[data-call]')?.dataset.call ?? '';
      // The buttons go once the reader has answered: focus stays on the call's card.
      this.#focus = `[data-id="${CSS.escape(id)}"] [data-call="${CSS.escape(callId)}"]`;
      session.approveTool(id, callId, action === 'approve');
      this.#host.requestUpdate();
    } else if (action === 'edit' || action === 'cancel') {
      this.editing = action === 'edit' ? id : null;
      this.#focus = action === 'edit' ? '[part="editor-input"]' : '[part="edit-button"]';
      // The reader works above the newest text: the view stays where the focus goes.
      this.#stopFollowing();
      this.#host.requestUpdate();
    }
  };

  /** The inline editor's submit: resends the question as edited. */
  readonly onSubmit = (event: Event): void => {
    event.preventDefault();
    const id = this.editing;
    const text = (event.target as HTMLFormElement).querySelector('textarea')?.value ?? '';
    if (!id || text.trim() === '') return;
    this.editing = null;
    this.#focusInput();
    this.#act(() => this.#host.session.edit(id, text), text).catch(console.error);
  };

  /** In the inline editor: Enter in its text resends, Escape cancels (neither while an IME composes). */
  readonly onKeyDown = (event: KeyboardEvent): void => {
    const target = event.target as HTMLElement;
    const editor = target.closest('[part="editor"]');
    if (!editor || event.isComposing || event.keyCode === 229) return;
    if (event.key === 'Escape') {
      // Only the editor closes, not a dialog around the chat.
      event.preventDefault();
      event.stopPropagation();
      editor.querySelector<HTMLElement>('[data-action="cancel"]')?.click();
    } else if (isSendKey(event) && target.matches('textarea')) {
      event.preventDefault();
      (editor as HTMLFormElement).requestSubmit();
    }
  };

  /** Says `text` in the live region; emptied first, so that saying it again is heard again. */
  announce(text: string): void {
    clearTimeout(this.#timer);
    this.announcement = '';
    this.#host.requestUpdate();
    this.#timer = setTimeout(() => {
      this.announcement = text;
      this.#host.requestUpdate();
      this.#timer = setTimeout(() => {
        this.announcement = '';
        this.#host.requestUpdate();
      }, ANNOUNCEMENT_MS);
    }, ANNOUNCE_DELAY_MS);
  }
}

/** Enter sends; Shift+Enter is a new line; Enter that confirms an IME composition is neither. @internal */
export function isSendKey(event: KeyboardEvent): boolean {
  return event.key === 'Enter' && !event.shiftKey && !event.isComposing && event.keyCode !== 229;
}
