import type {ReactiveControllerHost} from 'lit';
import {isSendKey} from './log-actions.js';

/** What {@link Composer} needs from its element. */
export interface ComposerHost extends ReactiveControllerHost {
  readonly renderRoot: HTMLElement | DocumentFragment;
  /** Whether an answer streams: the Send button is then Stop. */
  readonly streaming: boolean;
  stop(): void;
}

/**
 * The input and the Send button (Stop while an answer streams: one button, so keyboard focus
 * stays on it). Enter sends; a text that could not be sent goes back to the input.
 *
 * @internal
 */
export class Composer {
  readonly #host: ComposerHost;
  readonly #send: (text: string) => Promise<unknown>;
  readonly #busy: () => void;

  /** `busy`: tells the reader why Enter sent nothing (an answer still streams). */
  constructor(host: ComposerHost, send: (text: string) => Promise<unknown>, busy: () => void) {
    this.#host = host;
    this.#send = send;
    this.#busy = busy;
  }

  /** The input, once rendered. */
  input(): HTMLTextAreaElement | null {
    return this.#host.renderRoot.querySelector('[part="input"]');
  }

  /** Gives a text back to the input (cancelled, or refused for want of a sign-in), unless the reader typed anew. */
  restore(text: string): void {
    const input = this.input();
    if (input && input.value === '') input.value = text;
  }

  readonly onSubmit = (event: Event): void => {
    event.preventDefault();
    const input = this.input();
    const text = input?.value ?? '';
    if (text.trim() === '' || this.#host.streaming) return;
    input!.value = '';
    // A text that could not be sent is back in the input by then.
    this.#send(text).catch(console.error);
  };

  /** Send submits the form; while an answer streams the same button is Stop. */
  readonly onButton = (event: Event): void => {
    if (!this.#host.streaming) return;
    event.preventDefault();
    this.#host.stop();
  };

  readonly onKeyDown = (event: KeyboardEvent): void => {
    if (!isSendKey(event)) return;
    event.preventDefault();
    if (this.#host.streaming) this.#busy();
    else (event.target as HTMLTextAreaElement).form?.requestSubmit();
  };
}
