/**
 * Every string the element shows or announces to the reader, in one table. `{name}` marks a
 * value filled in when the string is used. Replace any of them with the element's `strings`
 * property; the built-in locales (`chat-stream/locales/*.js`) are tables of this shape.
 */
export interface ChatStrings {
  /** The conversation's accessible name (the `log-label` attribute wins). */
  log: string;
  /** The input's accessible name (the `input-label` attribute wins). */
  input: string;
  /** The input's placeholder (the `placeholder` attribute wins). */
  placeholder: string;
  send: string;
  stop: string;
  /** The Attach button's name (with `accept`), and the name of the list of files waiting to be sent and of those sent with a message. */
  attach: string;
  attachments: string;
  /** A waiting file's remove button: `{name}` is the file's. */
  removeAttachment: string;
  /** Shown over the element while files are dragged over it. */
  dropFiles: string;
  /** Shown near the input and announced for a file refused: of a type `accept` leaves out, larger than `{limit}` (`max-file-size`, in a readable unit), or beyond `{count}` files (`max-files`). */
  wrongType: string;
  tooLarge: string;
  tooMany: string;
  /** A file's upload progress bar's name. */
  uploading: string;
  /** On a file that could not be read or uploaded, and announced: `{name}` and what went wrong, `{error}`. */
  attachmentFailed: string;
  /** Announced when Send is pressed while a file is still being read or uploaded, or one failed. */
  attachmentsPending: string;
  attachmentsFailed: string;
  /** Beside a sent file whose contents were not kept with the conversation. */
  notKept: string;
  /** The empty state's default text. */
  empty: string;
  /** The sign-in prompt's default text. */
  signIn: string;
  /** Who said a message, as its group's name. */
  user: string;
  assistant: string;
  /** A message's state, added to its group's name. */
  streaming: string;
  stopped: string;
  failed: string;
  /** A message group's name with its state: `{who}` and `{state}`. */
  named: string;
  /** The waiting indicator's name. */
  waiting: string;
  /** Shown and announced while a request that failed before its answer began waits to be sent again: in `{seconds}`, attempt `{attempt}` of `{attempts}`. */
  retrying: string;
  /** Shown and announced while an answer whose connection broke is resumed. */
  reconnecting: string;
  /** Announced once per finished answer, with its text: `{text}`. */
  answered: string;
  /** Announced when Enter is pressed while an answer streams. */
  busy: string;
  /** Announced when the browser is back online after an answer failed offline: Retry shows again. */
  online: string;
  retry: string;
  copy: string;
  copied: string;
  copyFailed: string;
  regenerate: string;
  good: string;
  bad: string;
  edit: string;
  editInput: string;
  cancel: string;
  sendEdited: string;
  /** Notes under an answer cut short, or one that asked for tools (`{tools}`). */
  cutShort: string;
  filtered: string;
  tools: string;
  /** A tool call's state on its card: waiting for the reader's approval, running, done, failed, denied, or not run (nothing here runs it); a stopped one says `stopped`. */
  toolWaiting: string;
  toolRunning: string;
  toolDone: string;
  toolFailed: string;
  toolDenied: string;
  toolAsked: string;
  /** What a tool call's card holds, collapsed: its arguments, and what it gave. */
  toolArguments: string;
  toolResult: string;
  /** A call's Approve and Deny buttons, and their names with the tool's (`{tool}`). */
  approve: string;
  deny: string;
  approveTool: string;
  denyTool: string;
  /** Announced once when calls begin to wait for the reader's approval: `{tools}` names them. */
  toolAsks: string;
  /** The summary of an answer's reasoning: while the model only thinks (`thinkingTime` beside it, the seconds so far), once it answered (`thought`, or `thoughtBriefly` under 2 seconds; `reasoning` when the time is not known, as for a conversation saved before it was), and when the answer stopped or failed while it thought. */
  thinking: string;
  thinkingTime: string;
  thought: string;
  thoughtBriefly: string;
  reasoning: string;
  thinkingStopped: string;
  /** A failed answer's message, by the error's kind: `{code}` is the HTTP status or the error's code; a backend's own message (`business`) and a provider's (`stream`) show as they are. */
  httpError: string;
  networkError: string;
  readError: string;
  /** A failed answer's message when nothing arrived for too long (`timeout`), and when the browser is offline (`offline`). */
  timeoutError: string;
  offlineError: string;
  /** The failure without a message of its own. */
  error: string;
}

/** The built-in English table, and the fallback for any string a locale leaves out. */
export const EN: ChatStrings = {
  log: 'Conversation',
  input: 'Message',
  placeholder: 'Message',
  send: 'Send',
  stop: 'Stop',
  attach: 'Attach files',
  attachments: 'Attachments',
  removeAttachment: 'Remove {name}',
  dropFiles: 'Drop files to attach',
  wrongType: '“{name}” is not a type of file this chat accepts.',
  tooLarge: '“{name}” is too large: files can be up to {limit}.',
  tooMany: 'Too many files: up to {count} can be attached.',
  uploading: 'Uploading {name}',
  attachmentFailed: '“{name}” could not be attached: {error}',
  attachmentsPending: 'The files are still being prepared: send once they are ready.',
  attachmentsFailed: 'A file could not be attached: remove it to send.',
  notKept: 'File not kept',
  empty: 'Ask anything to start the conversation.',
  signIn: 'Please sign in to continue.',
  user: 'You',
  assistant: 'Assistant',
  streaming: 'answering',
  stopped: 'Stopped',
  failed: 'failed',
  named: '{who}, {state}',
  waiting: 'Waiting for the answer',
  retrying: 'Connection failed. Retrying in {seconds} s (attempt {attempt} of {attempts})…',
  reconnecting: 'Connection lost. Reconnecting…',
  answered: 'Answer: {text}',
  busy: 'An answer is still arriving. Press Escape to stop it.',
  online: 'Back online.',
  retry: 'Retry',
  copy: 'Copy',
  copied: 'Copied',
  copyFailed: 'Copy failed',
  regenerate: 'Regenerate',
  good: 'Good answer',
  bad: 'Bad answer',
  edit: 'Edit',
  editInput: 'Edit message',
  cancel: 'Cancel',
  sendEdited: 'Send edited message',
  cutShort: 'Cut short: the answer reached its length limit.',
  filtered: "Cut short by the provider's content filter.",
  tools: 'The model asked to call {tools}, which this chat cannot run yet.',
  toolWaiting: 'Waiting for approval',
  toolRunning: 'Running',
  toolDone: 'Done',
  toolFailed: 'Failed',
  toolDenied: 'Denied',
  toolAsked: 'Not run',
  toolArguments: 'Arguments',
  toolResult: 'Result',
  approve: 'Approve',
  deny: 'Deny',
  approveTool: 'Approve {tool}',
  denyTool: 'Deny {tool}',
  toolAsks: 'Waiting for your approval to run {tools}.',
  thinking: 'Thinking…',
  thinkingTime: '{seconds} s',
  thought: 'Thought for {seconds, plural, one {# second} other {# seconds}}',
  thoughtBriefly: 'Thought for a few seconds',
  reasoning: 'Reasoning',
  thinkingStopped: 'Thinking stopped',
  httpError: 'The server answered with an error ({code}).',
  networkError: 'The connection failed. Check your network and retry.',
  readError: 'The answer could not be read ({code}).',
  timeoutError: 'Timed out: nothing arrived for too long. Check your network and retry.',
  offlineError: "You're offline. Retry when you're back online.",
  error: 'This answer failed.',
};

/** The built-in locales besides English, by tag. */
export const LOCALES = ['zh-CN', 'zh-TW', 'ja', 'ko', 'es', 'fr', 'de', 'pt-BR', 'ar'] as const;

/** Languages written right to left. */
const RTL = /^(?:ar|fa|he|ur|ps|yi|dv|ckb)(?:-|$)/i;

/**
 * The built-in locale for a BCP 47 tag: itself, else its language's (`zh-Hant`, `zh-HK` and
 * `zh-TW` → `zh-TW`, any other `zh` → `zh-CN`, `pt` → `pt-BR`), else English.
 */
export function localeFor(tag: string): string {
  const [language = '', ...rest] = tag.toLowerCase().split(/[-_]/);
  if (language === 'zh') return rest.some((part) => part === 'hant' || part === 'tw' || part === 'hk' || part === 'mo') ? 'zh-TW' : 'zh-CN';
  return LOCALES.find((locale) => locale.toLowerCase() === tag.toLowerCase() || locale.split('-')[0] === language) ?? 'en';
}

/** Whether a language tag is written right to left. */
export function isRightToLeft(tag: string): boolean {
  return RTL.test(tag);
}

/** `{name, plural, one {# item} other {# items}}`: ICU's plural choice, with no braces inside a form. */
const PLURAL = /\{(\w+),\s*plural,((?:\s*(?:=\d+|zero|one|two|few|many|other)\s*\{[^{}]*\})+)\s*\}/g;
const PLURAL_FORM = /(=\d+|zero|one|two|few|many|other)\s*\{([^{}]*)\}/g;

/**
 * `template` with each `{name}` replaced by `values[name]`; numbers are written as `locale` writes
 * them (Arabic digits in `ar`). A number may choose among plural forms, as ICU messages write them
 * (`{seconds, plural, one {# second} other {# seconds}}`, `#` the number): the exact `=n` form,
 * else the locale's plural category's, else `other`.
 */
export function fill(template: string, values: Record<string, string | number>, locale = 'en'): string {
  const written = (value: number) => new Intl.NumberFormat(locale, {useGrouping: false}).format(value);
  return template
    .replace(PLURAL, (whole, name: string, forms: string) => {
      const value = values[name];
      if (typeof value !== 'number') return whole;
      const byKey = new Map([...forms.matchAll(PLURAL_FORM)].map(([, key, form]) => [key, form!]));
      const form = byKey.get(`=${value}`) ?? byKey.get(new Intl.PluralRules(locale).select(value)) ?? byKey.get('other');
      return form === undefined ? whole : form.replaceAll('#', written(value));
    })
    .replace(/\{(\w+)\}/g, (whole, name: string) => {
      const value = values[name];
      if (value === undefined) return whole;
      return typeof value === 'number' ? written(value) : value;
    });
}

/**
 * Each built-in locale's module, imported when first used: only the locale a page uses costs its
 * bytes. Written out so that bundlers see every module; the single-file bundle leaves them
 * beside itself (`locales/<tag>.js`).
 */
const LOADERS: Record<string, () => Promise<{default: ChatStrings}>> = {
  'zh-CN': () => import('./locales/zh-CN.js'),
  'zh-TW': () => import('./locales/zh-TW.js'),
  ja: () => import('./locales/ja.js'),
  ko: () => import('./locales/ko.js'),
  es: () => import('./locales/es.js'),
  fr: () => import('./locales/fr.js'),
  de: () => import('./locales/de.js'),
  'pt-BR': () => import('./locales/pt-BR.js'),
  ar: () => import('./locales/ar.js'),
};

const loaded = new Map<string, Promise<Partial<ChatStrings>>>();

/**
 * A built-in locale's table, imported once. English is built in; a locale that fails to load
 * leaves English, the console says why, and the next use tries again.
 */
export function loadLocale(locale: string): Promise<Partial<ChatStrings>> {
  const load = LOADERS[locale];
  if (!load) return Promise.resolve({});
  let table = loaded.get(locale);
  if (!table) {
    table = load().then(
      (module) => module.default,
      (error: unknown) => {
        loaded.delete(locale);
        console.warn(`chat-stream: the "${locale}" strings could not be loaded; English is shown`, error);
        return {};
      },
    );
    loaded.set(locale, table);
  }
  return table;
}
