import type {ChatRetryDetail, ChatSession, ChatUpdateDetail} from './core/index.js';
import {endAnnouncement} from './announcements.js';
import type {ElementLocale} from './element-locale.js';
import {chatEvent, type ChatStreamEventMap} from './events.js';
import type {MessageViews} from './message-views.js';
import type {ReasoningSections} from './reasoning-sections.js';
import {bubbles, showing} from './shared-views.js';

// `update`, per chunk, comes through `watchUpdates`: a call rather than an event.
const SESSION_EVENTS = ['change', 'request', 'done', 'error', 'stop', 'login-required', 'feedback', 'retry', 'tool-call'];
const NETWORK_EVENTS = ['online', 'offline'];

/** What {@link SessionEvents} needs from its element. */
export interface SessionEventsHost extends HTMLElement {
  readonly session: ChatSession;
  requestUpdate(): void;
}

/** The element's pieces the session's events reach, and what it does as they come. */
export interface SessionEventsParts {
  views: MessageViews;
  reasoning: ReasoningSections;
  locale: ElementLocale;
  announce(text: string): void;
  focusInput(): void;
  /** The session's state changed: the element shows it (`streaming`, a render). */
  changed(): void;
  /** Renders now when a render is due, so that listeners see the element as the event leaves it. */
  flush(): void;
  /** A `request` event has been to the page's listeners: a cancelled send gives its text back. */
  requested(event: Event): void;
  /** A sign-in is needed: the new text (`text`) goes back to the input. */
  loginRequired(text: string): void;
}

/**
 * Fires the session's events on the element (only one view of a session lets them bubble),
 * once what they report is drawn, with one live-region announcement per answer's end; and
 * follows the browser going offline and online for Retry.
 *
 * @internal
 */
export class SessionEvents {
  readonly #host: SessionEventsHost;
  readonly #parts: SessionEventsParts;
  #listening = false;
  /** The wait to send the answer's request again (or resume it), until its bytes arrive or it ends. */
  #retrying: ChatRetryDetail | null = null;

  constructor(host: SessionEventsHost, parts: SessionEventsParts) {
    this.#host = host;
    this.#parts = parts;
  }

  get listening(): boolean {
    return this.#listening;
  }

  get retrying(): ChatRetryDetail | null {
    return this.#retrying;
  }

  /** Listens to the host's session, or stops; the session counts the host among its views meanwhile. */
  listen(on: boolean): void {
    this.#listening = on;
    const session = this.#host.session;
    for (const type of SESSION_EVENTS) session[on ? 'addEventListener' : 'removeEventListener'](type, this.#onSessionEvent);
    session.watchUpdates(this.#onUpdate, on);
    showing(session, this.#host, on);
    this.#parts.changed();
  }

  /** Follows the browser's connection while the element is on the page. */
  watchNetwork(on: boolean): void {
    for (const type of NETWORK_EVENTS) (on ? addEventListener : removeEventListener)(type, this.#onNetwork);
  }

  /** Retry after an offline failure shows only while the browser is online: coming back says so, and going offline takes focus off it to the input. */
  readonly #onNetwork = (event: Event): void => {
    const {session} = this.#host;
    const error = session.messages.at(-1)?.error;
    if (event.type === 'online' && error?.code === 'offline' && bubbles(session, this.#host)) this.#parts.announce(this.#parts.locale.strings.online);
    if (event.type === 'offline' && this.#host.shadowRoot?.activeElement?.matches('[part="retry-button"]')) this.#parts.focusInput();
    this.#host.requestUpdate();
  };

  readonly #onUpdate = (detail: ChatUpdateDetail): void => {
    const {views, reasoning} = this.#parts;
    // Bytes arrived: the retry's note goes.
    if (this.#retrying) (this.#retrying = null), this.#host.requestUpdate();
    // A server call began or ended: its card changes with the answer's text.
    if (detail.toolCalls) this.#host.requestUpdate();
    reasoning.update(detail);
    views.update(detail);
  };

  readonly #onSessionEvent = (event: Event): void => {
    const host = this.#host;
    const {session} = host;
    const {views} = this.#parts;
    const type = event.type as keyof ChatStreamEventMap | 'change';
    const {detail} = event as CustomEvent;
    if (type === 'retry') this.#retrying = detail;
    // Bytes arrived, or the run ended: the retry's note goes.
    else if (this.#retrying && type !== 'feedback' && (type !== 'change' || !session.streaming)) (this.#retrying = null), host.requestUpdate();
    if (type === 'change') {
      // An answer the session ended without an event (clear, load, another tab) reports nothing more.
      if (!session.streaming) queueMicrotask(() => host.session.streaming || views.stopped());
      return this.#parts.changed();
    }
    // An earlier answer still being drawn fires its event first.
    views.settleNow();
    // Several views of one session each fire its events; only one bubbles them to the page.
    const escapes = bubbles(session, host);
    // The cancelable ones: the page cancels a send, or says it answers a tool call, on the element as on the session.
    if (type === 'request' || type === 'tool-call') {
      if (!host.dispatchEvent(chatEvent(type, detail, escapes, true))) event.preventDefault();
      // Once every view's listeners have run: a cancelled send gives its text back.
      if (type === 'request') this.#parts.requested(event);
      return;
    }
    const fire = () => {
      // Listeners see the element as the event leaves it: the answer ended, Send back, Retry shown.
      this.#parts.changed();
      this.#parts.flush();
      // Views sharing a session each have a live region: only the one whose events escape speaks.
      if (escapes) this.#announceEnd(type, detail);
      host.dispatchEvent(chatEvent(type, detail, escapes));
    };
    if ((type === 'done' || type === 'error') && detail.messageId) {
      views.settle(detail.messageId, fire);
      return this.#parts.changed();
    }
    if (type === 'stop' || type === 'login-required') views.stopped();
    if (type === 'login-required') this.#parts.loginRequired(detail.text);
    fire();
  };

  #announceEnd(type: string, detail: {messageId?: string; text?: string}): void {
    const {views, locale} = this.#parts;
    const message = this.#host.session.messages.find((entry) => entry.id === detail.messageId);
    const text = endAnnouncement(type, detail, {message, content: views.container(detail.messageId ?? ''), strings: locale.strings, locale: locale.shown});
    if (text !== null) this.#parts.announce(text);
  }
}
