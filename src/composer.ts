import type {ReactiveControllerHost} from 'lit';
import type {AttachmentChip, AttachmentTray} from './attachment-tray.js';
import {isSendKey} from './log-actions.js';

/** What {@link Composer} needs from its element. */
export interface ComposerHost extends ReactiveControllerHost {
  readonly renderRoot: HTMLElement | DocumentFragment;
  /** Whether an answer streams: the Send button is then Stop. */
  readonly streaming: boolean;
  stop(): void;
}

/** Sends a text (blank when only files go) with the chips of the files that go with it. */
export type ComposerSend = (text: string, chips: AttachmentChip[]) => Promise<unknown>;

/**
 * The input and the Send button (Stop while an answer streams: one button, so keyboard focus
 * stays on it), with the files waiting in its tray. Enter sends; a text, or files, that could
 * not be sent go back.
 *
 * @internal
 */
export class Composer {
  readonly #host: ComposerHost;
  readonly #tray: AttachmentTray;
  readonly #send: ComposerSend;
  readonly #busy: () => void;

  /** `busy`: tells the reader why Enter sent nothing (an answer still streams). */
  constructor(host: ComposerHost, tray: AttachmentTray, send: ComposerSend, busy: () => void) {
    this.#host = host;
    this.#tray = tray;
    this.#send = send;
    this.#busy = busy;
  }

  /** The input, once rendered. */
  input(): HTMLTextAreaElement | null {
    return this.#host.renderRoot.querySelector('[part="input"]');
  }

  /** Gives a text and its files back (cancelled, or refused for want of a sign-in), unless the reader typed or attached anew. */
  restore(text: string, chips: readonly AttachmentChip[] = []): void {
    const input = this.input();
    if (input && input.value === '') input.value = text;
    this.#tray.restore(chips);
  }

  readonly onSubmit = (event: Event): void => {
    event.preventDefault();
    const input = this.input();
    const text = input?.value ?? '';
    const blank = text.trim() === '';
    if ((blank && this.#tray.chips.length === 0) || this.#host.streaming || !this.#tray.readyToSend()) return;
    input!.value = '';
    // A text that could not be sent is back in the input by then, and its files in the tray.
    this.#send(blank ? '' : text, this.#tray.take()).catch(console.error);
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
