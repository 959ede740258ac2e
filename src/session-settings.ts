import type {ChatSession, ChatStorage, ChatStorageOption} from './core/index.js';
import {plainRecord} from './core/messages.js';

/** The element's properties that configure its session, and the option each sets; objects last, so a bad one stops nothing else. */
export const OPTION_PROPERTIES = {
  endpoint: 'url',
  token: 'token',
  tokenHeader: 'tokenHeader',
  model: 'model',
  system: 'system',
  format: 'format',
  maxTokens: 'maxTokens',
  textPath: 'textPath',
  reasoningPath: 'reasoningPath',
  errorPath: 'errorPath',
  donePath: 'donePath',
  thinkTags: 'thinkTags',
  noToken: 'requireToken',
  retries: 'retries',
  firstByteTimeout: 'firstByteTimeout',
  idleTimeout: 'idleTimeout',
  resumeAttempts: 'resumeAttempts',
  getToken: 'getToken',
  tools: 'tools',
  maxSteps: 'maxSteps',
  headers: 'headers',
  extraBody: 'body',
} as const;

/** The `think-tags` attribute: `off` turns the reading of `<think>` tags off; any other value leaves it on. */
export const thinkTagsAttribute = {fromAttribute: (value: string | null): boolean => value !== 'off'};

type OptionProperty = keyof typeof OPTION_PROPERTIES;

/** The network properties, and what the session's option is per unit of the element's (seconds to milliseconds). */
const NETWORK_COUNTS: Partial<Record<OptionProperty, number>> = {retries: 1, resumeAttempts: 1, firstByteTimeout: 1000, idleTimeout: 1000};

/** A network property's option; a value that is no count or duration is named in the console and leaves the default. */
function networkSetting(property: OptionProperty, value: unknown): number | undefined {
  const unit = NETWORK_COUNTS[property]!;
  if (typeof value === 'number' && value >= 0 && (unit === 1 ? Number.isInteger(value) : Number.isFinite(value))) return value * unit;
  console.error(`chat-stream: \`${property}\` must be ${unit === 1 ? 'a whole number' : 'a number of seconds'}, 0 or more (got ${String(value)}); its default applies`);
  return undefined;
}

/** The element's side of its settings. */
export type SettingsSource = Record<OptionProperty, unknown> & {persist: string; conversationId: string; storage: ChatStorage | undefined; id: string};

/**
 * Applies an element's settings to its session: the options whose properties were set on the
 * element (those never set leave an assigned session's own options alone), and where the
 * conversation is kept.
 *
 * @internal
 */
export class SessionSettings {
  readonly #initial: Map<OptionProperty, unknown>;
  /** What was last set on the session, by property. */
  readonly #pushed = new Map<OptionProperty, unknown>();
  #persisted: {storage: ChatStorageOption; id: string} | undefined;

  /** @param defaults - The element with its properties' defaults, which count as not set. */
  constructor(defaults: SettingsSource) {
    this.#initial = new Map((Object.keys(OPTION_PROPERTIES) as OptionProperty[]).map((property) => [property, defaults[property]]));
  }

  /** A new session: everything set on the element applies to it anew. */
  reset(): void {
    this.#pushed.clear();
    this.#persisted = undefined;
  }

  /** Sets on `session` the options whose properties changed since; throws a `TypeError` naming a `headers` or `extraBody` that is no plain object. */
  apply(source: SettingsSource, session: ChatSession): void {
    for (const [property, option] of Object.entries(OPTION_PROPERTIES) as [OptionProperty, string][]) {
      const value = source[property];
      const isObject = property === 'headers' || property === 'extraBody';
      const last = this.#pushed.has(property) ? this.#pushed.get(property) : this.#initial.get(property);
      // A plain object may have been changed in place: it is set again unless it is the untouched default.
      if (isObject ? !this.#pushed.has(property) && value === last && Object.keys(value as object).length === 0 : value === last) continue;
      // A removed attribute is null: the session's default (for `max-tokens`, no limit). The
      // element's timeouts are in seconds, as a page writes them; the session's in milliseconds.
      const setting = isObject
        ? plainRecord(value as object, property)
        : property === 'noToken'
          ? !value
          : value != null && property in NETWORK_COUNTS
            ? networkSetting(property, value)
            : (value ?? undefined);
      void session.configure({[option]: setting});
      this.#pushed.set(property, value);
    }
  }

  /**
   * Applies `persist`, `storage` and `conversation-id`: the first time by merging what is stored
   * into the conversation, later by switching. The default key is the page's path, and the
   * element's `id` after a `#` when it has one, so that two chats on a page keep two conversations.
   */
  persist({persist, storage, conversationId, id}: SettingsSource, session: ChatSession): void {
    const kind = persist === 'local' || persist === 'session' ? persist : undefined;
    if (persist && !kind) console.error(`chat-stream: \`persist\` must be "local" or "session" (got ${JSON.stringify(persist)})`);
    const previous = this.#persisted;
    if (!storage && !kind) {
      // Persistence switched off: the conversation stays, and is kept nowhere from now on.
      if (previous) void session.configure({storage: 'none'}).catch(console.error);
      this.#persisted = undefined;
      return;
    }
    const next: {storage: ChatStorageOption; id: string} = {storage: storage ?? kind!, id: conversationId || location.pathname + (id ? `#${id}` : '')};
    this.#persisted = next;
    // Back on the page, a session let go of meanwhile takes its storage up again; a key changed meanwhile switches.
    const applied = !previous || previous.id === next.id ? session.configure(next) : session.load(next.id, next.storage);
    applied.catch(console.error);
  }
}
