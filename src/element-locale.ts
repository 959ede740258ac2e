import {EN, isRightToLeft, loadLocale, localeFor, type ChatStrings} from './strings.js';

/** What {@link ElementLocale} needs from its element. */
export interface ElementLocaleHost extends HTMLElement {
  /** The page's own strings, which win over the locale's. */
  readonly strings: Partial<ChatStrings>;
  requestUpdate(): void;
}

/**
 * The element's language: the built-in locale its `lang` (else the document's, else the
 * browser's) chooses, that locale's strings once loaded, and its direction.
 *
 * @internal
 */
export class ElementLocale {
  readonly #host: ElementLocaleHost;
  /** The built-in locale in use, and its table once loaded. */
  #locale = 'en';
  #table: Partial<ChatStrings> = {};
  /** Whether the element set its own `dir` (for a right-to-left `lang`), which it then takes back when that changes. */
  #ownDir = false;
  /** The locale numbers are written in: English until (and unless) the locale's strings arrive. */
  shown = 'en';
  /** The strings shown: English, then the locale's, then the page's `strings`. */
  strings: ChatStrings = EN;

  constructor(host: ElementLocaleHost) {
    this.#host = host;
  }

  /**
   * Picks the built-in locale and loads its strings (English shows until they arrive). A
   * right-to-left language lays the element out right to left unless the page set `dir` itself.
   */
  choose(): void {
    const host = this.#host;
    const tag = host.lang || document.documentElement.lang || navigator.language || 'en';
    const rtl = isRightToLeft(tag);
    if (rtl && !host.hasAttribute('dir')) (host.dir = 'rtl'), (this.#ownDir = true);
    else if (!rtl && this.#ownDir) host.removeAttribute('dir'), (this.#ownDir = false);
    const locale = localeFor(tag);
    if (locale === this.#locale) return;
    this.#locale = locale;
    void loadLocale(locale).then((table) => {
      if (this.#locale !== locale) return;
      this.#table = table;
      // Numbers follow the words shown: English until (and unless) the locale's arrive.
      this.shown = Object.keys(table).length > 0 ? locale : 'en';
      this.resolve();
      host.requestUpdate();
    });
  }

  /** Takes in the page's `strings` anew. */
  resolve(): void {
    this.strings = {...EN, ...this.#table, ...this.#host.strings};
  }
}
