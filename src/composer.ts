import {html, nothing, type ReactiveControllerHost, type TemplateResult} from 'lit';
import type {AttachmentChip, AttachmentTray} from './attachment-tray.js';
import {trayTemplate} from './attachment-template.js';
import {isSendKey} from './log-actions.js';
import type {ChatStrings} from './strings.js';

/** What {@link Composer} needs from its element. */
export interface ComposerHost extends ReactiveControllerHost {
  readonly renderRoot: HTMLElement | DocumentFragment;
  /** Whether an answer streams: the Send button is then Stop. */
  readonly streaming: boolean;
  stop(): void;
}

/** What the form shows besides the composer's own state: the page's labels, else the strings'. */
export interface ComposerLabels {
  accept: string;
  inputLabel: string;
  placeholder: string;
  strings: ChatStrings;
  locale: string;
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

  /** The form: the files waiting, the input and the Send button (Stop while an answer streams). */
  template({accept, inputLabel, placeholder, strings, locale}: ComposerLabels): TemplateResult {
    const {streaming} = this.#host;
    return html`<form part="form" @submit=${this.onSubmit}>
        ${trayTemplate(this.#tray, accept, strings, locale)}
        <textarea part="input" rows="2" aria-label=${inputLabel || strings.input} placeholder=${placeholder || strings.placeholder} @keydown=${this.onKeyDown} @paste=${this.#tray.onPaste}></textarea>
        <button part="send-button" type="submit" aria-disabled=${!streaming && this.#tray.waiting ? 'true' : nothing} @click=${this.onButton}>${streaming ? strings.stop : strings.send}</button>
      </form>`;
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
