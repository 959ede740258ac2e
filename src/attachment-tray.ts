import type {ReactiveController, ReactiveControllerHost} from 'lit';
import {readAttachment, type ChatAttachment} from './core/index.js';
import {DEFAULT_MAX_FILES, DEFAULT_MAX_FILE_SIZE, limitSetting, screenFiles} from './attachment-rules.js';
import {fill, type ChatStrings} from './strings.js';

/** What the page's `upload` is given besides the file. */
export interface ChatUploadContext {
  /** Aborts when the reader removes the file before it is sent. */
  signal: AbortSignal;
  /** Reports how much of the file is up, from 0 to 1: its chip shows it. */
  progress(fraction: number): void;
}

/** Uploads a file for the page and gives the URL the model reads it from, sent instead of a `data:` URL. */
export type ChatUpload = (file: File, context: ChatUploadContext) => string | URL | Promise<string | URL>;

/** A file waiting in the composer to be sent (its chip). @internal */
export interface AttachmentChip {
  readonly id: string;
  readonly file: File;
  /** An image's thumbnail, an object URL, while its chip shows. */
  preview: string | undefined;
  /** Being `read` or `uploaded`, `ready` to send (`attachment`), or `failed` (`error`). */
  state: 'reading' | 'uploading' | 'ready' | 'failed';
  /** How much of the upload is done, once the page's `upload` reports it. */
  progress: number | undefined;
  error: string | undefined;
  attachment: ChatAttachment | undefined;
  readonly controller: AbortController;
}

/** What {@link AttachmentTray} needs from its element. */
export interface AttachmentTrayHost extends ReactiveControllerHost, HTMLElement {
  readonly renderRoot: HTMLElement | DocumentFragment;
  /** The file types taken; none (or empty) turns attachments off. */
  accept: string | null | undefined;
  upload: ChatUpload | null | undefined;
}

let chips = 0;
const DRAG_EVENTS = ['dragenter', 'dragover', 'dragleave', 'drop'];

/**
 * The files waiting to be sent with the next message: taken from the Attach button, a paste in
 * the input or a drop on the element (with `accept`), checked against the limits, read into
 * `data:` URLs or uploaded by the page's `upload` at once, and handed to Send once all are ready.
 *
 * @internal
 */
export class AttachmentTray implements ReactiveController {
  chips: AttachmentChip[] = [];
  /** What was said of the files just refused, shown near the input. */
  refusal = '';
  /** Whether files are dragged over the element (also its `drop-target` attribute). */
  dragging = false;
  readonly #host: AttachmentTrayHost;
  readonly #announce: (text: string) => void;
  readonly #strings: () => ChatStrings;
  readonly #locale: () => string;
  #maxFileSize = DEFAULT_MAX_FILE_SIZE;
  #maxFiles = DEFAULT_MAX_FILES;
  /** The limits as the element last gave them, so that a bad one is named once. */
  #given: [unknown, unknown] = [undefined, undefined];
  /** Enter and leave events of the element and of everything in it come in pairs: files are over it while more came in than left. */
  #depth = 0;
  #focus: string | null = null;

  constructor(host: AttachmentTrayHost, announce: (text: string) => void, strings: () => ChatStrings, locale: () => string) {
    this.#host = host;
    this.#announce = announce;
    this.#strings = strings;
    this.#locale = locale;
    host.addController(this);
  }

  /** Whether the element takes files (`accept` is set). */
  get enabled(): boolean {
    return typeof this.#host.accept === 'string' && this.#host.accept.trim() !== '';
  }

  /** Whether a file is still being read or uploaded, or failed: Send waits. */
  get waiting(): boolean {
    return this.chips.some((chip) => chip.state !== 'ready');
  }

  hostConnected(): void {
    for (const type of DRAG_EVENTS) this.#host.addEventListener(type, this.#onDrag);
  }

  hostDisconnected(): void {
    for (const type of DRAG_EVENTS) this.#host.removeEventListener(type, this.#onDrag);
    this.#dragOver(false);
  }

  hostUpdated(): void {
    if (this.#focus) this.#host.renderRoot.querySelector<HTMLElement>(this.#focus)?.focus();
    this.#focus = null;
  }

  /** The element's `maxFileSize` and `maxFiles`; a bad one is named in the console (once) and its default applies. */
  limit(maxFileSize: unknown, maxFiles: unknown): void {
    const [size, count] = this.#given;
    if (maxFileSize !== size) this.#maxFileSize = limitSetting('maxFileSize', maxFileSize, DEFAULT_MAX_FILE_SIZE);
    if (maxFiles !== count) this.#maxFiles = limitSetting('maxFiles', maxFiles, DEFAULT_MAX_FILES);
    this.#given = [maxFileSize, maxFiles];
  }

  /** Takes the files the limits allow, each as a chip that starts reading or uploading; the others are said and shown. */
  add(files: readonly File[]): void {
    if (files.length === 0) return;
    const rules = {accept: this.#host.accept ?? '', maxFileSize: this.#maxFileSize, maxFiles: this.#maxFiles, waiting: this.chips.length};
    const {taken, refusals} = screenFiles(files, rules, this.#strings(), this.#locale());
    this.refusal = refusals.join(' ');
    if (this.refusal) this.#announce(this.refusal);
    for (const file of taken) {
      const chip: AttachmentChip = {id: `attachment-${++chips}`, file, preview: undefined, state: 'reading', progress: undefined, error: undefined, attachment: undefined, controller: new AbortController()};
      this.chips.push(chip);
      showPreview(chip);
      void this.#prepare(chip);
    }
    this.#host.requestUpdate();
  }

  /** Takes a chip away (its read or upload aborted); focus goes to the next chip's remove button, else the input. */
  remove(id: string): void {
    const index = this.chips.findIndex((chip) => chip.id === id);
    if (index < 0) return;
    const [chip] = this.chips.splice(index, 1);
    chip!.controller.abort();
    hidePreview(chip!);
    this.refusal = '';
    const next = this.chips[index] ?? this.chips[index - 1];
    this.#focus = next ? `[data-attachment="${next.id}"] [part="attachment-remove-button"]` : '[part="input"]';
    this.#host.requestUpdate();
  }

  /** Whether every file is ready to send; when one is not, says why. */
  readyToSend(): boolean {
    if (!this.waiting) return true;
    const strings = this.#strings();
    this.#announce(this.chips.some((chip) => chip.state === 'failed') ? strings.attachmentsFailed : strings.attachmentsPending);
    return false;
  }

  /** Empties the tray for a send: its chips, to be given back by {@link restore} if the send is refused. */
  take(): AttachmentChip[] {
    const taken = this.chips;
    for (const chip of taken) hidePreview(chip);
    this.chips = [];
    this.refusal = '';
    this.#host.requestUpdate();
    return taken;
  }

  /** Gives back the chips of a send that was refused, unless the reader has added files since. */
  restore(given: readonly AttachmentChip[]): void {
    if (given.length === 0 || this.chips.length > 0) return;
    this.chips = [...given];
    for (const chip of this.chips) showPreview(chip);
    this.#host.requestUpdate();
  }

  /** The Attach button opens the file chooser. */
  readonly onAttach = (): void => {
    this.#host.renderRoot.querySelector<HTMLInputElement>('input[type="file"]')?.click();
  };

  /** The file chooser's choice. */
  readonly onChoose = (event: Event): void => {
    const input = event.target as HTMLInputElement;
    this.add([...(input.files ?? [])]);
    // The same file chosen again is a change again.
    input.value = '';
  };

  /** Files pasted into the input are attached instead of pasted; a text paste stays the browser's. */
  readonly onPaste = (event: ClipboardEvent): void => {
    const files = [...(event.clipboardData?.files ?? [])];
    if (!this.enabled || files.length === 0) return;
    event.preventDefault();
    this.add(files);
  };

  /** A chip's remove button (one listener on the list). */
  readonly onClick = (event: Event): void => {
    const id = (event.target as Element).closest<HTMLElement>('[part="attachment-remove-button"]')?.dataset.remove;
    if (id) this.remove(id);
  };

  /** Files dragged over the element, anywhere in it: the drop target shows while they are over it, and a drop attaches them. */
  readonly #onDrag = (event: Event): void => {
    if (event.type === 'dragleave') {
      if (this.#depth > 0 && --this.#depth === 0) this.#dragOver(false);
      return;
    }
    const data = (event as DragEvent).dataTransfer;
    if (!this.enabled || !data?.types.includes('Files')) return;
    // The browser's own handling would open the file in place of the page.
    event.preventDefault();
    if (event.type === 'dragenter') {
      this.#depth++;
      this.#dragOver(true);
    } else if (event.type === 'dragover') {
      data.dropEffect = 'copy';
    } else {
      this.#dragOver(false);
      this.add([...data.files]);
    }
  };

  #dragOver(on: boolean): void {
    if (!on) this.#depth = 0;
    if (this.dragging === on) return;
    this.dragging = on;
    this.#host.toggleAttribute('drop-target', on);
    this.#host.requestUpdate();
  }

  /** Reads a chip's file into a `data:` URL, or has the page's `upload` upload it; a failure stays on the chip and is said. */
  async #prepare(chip: AttachmentChip): Promise<void> {
    const {upload} = this.#host;
    const {signal} = chip.controller;
    try {
      if (upload === null || upload === undefined) {
        chip.attachment = await readAttachment(chip.file, {signal});
      } else {
        chip.state = 'uploading';
        chip.attachment = await uploaded(chip, upload, () => this.#host.requestUpdate());
      }
      if (signal.aborted) return;
      chip.state = 'ready';
    } catch (error) {
      if (signal.aborted) return;
      chip.state = 'failed';
      chip.error = error instanceof Error ? error.message : String(error);
      this.#announce(fill(this.#strings().attachmentFailed, {name: chip.file.name, error: chip.error}));
    }
    this.#host.requestUpdate();
  }
}

/** The attachment of a file the page's `upload` put where `url` says; throws a `TypeError` naming `upload` when it is no function or gives no URL. */
async function uploaded(chip: AttachmentChip, upload: ChatUpload, changed: () => void): Promise<ChatAttachment> {
  if (typeof upload !== 'function') throw named(`\`upload\` must be a function (file, {signal, progress}) => URL (got ${typeof upload})`);
  const {file, controller} = chip;
  const progress = (fraction: number): void => {
    if (chip.state !== 'uploading' || typeof fraction !== 'number' || !Number.isFinite(fraction)) return;
    chip.progress = Math.min(1, Math.max(0, fraction));
    changed();
  };
  const given: unknown = await upload(file, {signal: controller.signal, progress});
  const url = given instanceof URL ? given.href : given;
  if (typeof url !== 'string' || url.trim() === '') throw named(`\`upload\` must give the file's URL, a string or URL (got ${given === '' ? 'an empty string' : String(given)})`);
  return {name: file.name, type: file.type || 'application/octet-stream', size: file.size, url};
}

/** A page's mistake: named in the console for the developer, and on the chip. */
function named(message: string): TypeError {
  const error = new TypeError(`chat-stream: ${message}`);
  console.error(error);
  return error;
}

function showPreview(chip: AttachmentChip): void {
  if (chip.file.type.startsWith('image/')) chip.preview = URL.createObjectURL(chip.file);
}

function hidePreview(chip: AttachmentChip): void {
  if (chip.preview) URL.revokeObjectURL(chip.preview);
  chip.preview = undefined;
}
