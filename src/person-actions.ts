import type {AttachmentChip} from './attachment-tray.js';
import type {Composer} from './composer.js';
import type {ChatResult, ChatSession} from './core/index.js';
import type {FollowNewest} from './follow-newest.js';
import type {MessageViews} from './message-views.js';
import {acted} from './shared-views.js';

/** A session action a person started, with the text and files they gave for it. */
interface Acting {
  typed: string | null;
  chips: readonly AttachmentChip[];
}

/** The element's pieces an action goes through. */
export interface PersonActionsParts {
  views: MessageViews;
  follow: FollowNewest;
  composer: Composer;
  /** Applies the element's settings to its session; a bad one throws the TypeError that names it. */
  apply(): void;
}

/**
 * Runs the session actions started in the element (a send, Retry, an edit…), and gives the text
 * and files a person gave for one back to the input when it is refused: a `request` listener
 * cancels it, a sign-in is needed, or it fails before it is sent.
 *
 * @internal
 */
export class PersonActions {
  readonly #host: {readonly session: ChatSession};
  readonly #parts: PersonActionsParts;
  /** The action in progress, and the text and files a person gave for it. */
  #acting: Acting | null = null;

  constructor(host: {readonly session: ChatSession}, parts: PersonActionsParts) {
    this.#host = host;
    this.#parts = parts;
  }

  /**
   * Runs `action`. `typed` is the text a person gave (`null` for a call from code, `''` for
   * Retry and Regenerate), and `chips` the files they sent with it.
   */
  async run(action: () => Promise<ChatResult>, typed: string | null, chips: readonly AttachmentChip[] = []): Promise<ChatResult> {
    const {views, follow, apply} = this.#parts;
    const acting = {typed, chips};
    this.#acting = acting;
    acted(this.#host.session, this.#host);
    try {
      views.settleNow();
      apply();
      if (!this.#host.session.options.url) throw new TypeError('chat-stream: set the `endpoint` attribute before sending');
      follow.resume();
      const result = await action();
      await views.drawn;
      return result;
    } catch (error) {
      // A text that could not be sent goes back to the input.
      this.#giveBack(acting, typed ?? '');
      throw error;
    } finally {
      if (this.#acting === acting) this.#acting = null;
    }
  }

  /** A `request` event has been to the page: once every view's listeners have run, a cancelled send gives its text back. */
  requested(event: Event): void {
    const acting = this.#acting;
    if (acting) queueMicrotask(() => event.defaultPrevented && this.#giveBack(acting, acting.typed ?? ''));
  }

  /** A sign-in is needed: the new text (`text`) goes back to the input. */
  loginRequired(text: string): void {
    if (this.#acting) this.#giveBack(this.#acting, text);
  }

  /** Gives a person's text (or the question a sign-in holds back) and files back to the composer. */
  #giveBack({typed, chips}: Acting, text: string): void {
    if (typed !== null && (text || chips.length > 0)) this.#parts.composer.restore(text, chips);
  }
}
