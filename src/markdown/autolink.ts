/** How far an autolink is looked for: a line of one endless URL must stay linear. */
const MAX_AUTOLINK = 2048;
// CJK and full-width punctuation ends a URL: "请访问https://example.com，然后登录" links the URL alone.
const URL_START = /^(?:https?:\/\/|www\.)[^\s<\u3000-\u303f\uff00-\uffef]*/i;
const DOMAIN = /^(?:https?:\/\/)?([\w-]+(?:\.[\w-]+)+)/i;
const EMAIL = /^(?:(?:mailto|xmpp):)?[\w.+-]+@[\w-]+(?:\.[\w-]+)+/i;
const XMPP_RESOURCE = /^\/[\w.@-]+/;
const TRAILING_PUNCTUATION = /[?!.,:*_~'"\]]+$/;

/** An autolink of GFM's extension found at a position: the text it takes and where it points. */
export interface Autolink {
  text: string;
  url: string;
}

/**
 * GFM's extended autolinks (https://github.github.com/gfm/#autolinks-extension-): `www.` and
 * `http(s)://` URLs with a valid domain, email addresses, and `mailto:`/`xmpp:` addresses,
 * without the trailing punctuation, unbalanced `)` or entity-like `&…;` a sentence puts after
 * them. `source[at]` must follow the start of the line, white space or a delimiter (the caller
 * checks). `null` when there is none at `at`.
 */
export function extendedAutolink(source: string, at: number, to: number): Autolink | null {
  // The word first, by a plain loop: the patterns then read only it.
  let end = at;
  const limit = Math.min(to, at + MAX_AUTOLINK);
  while (end < limit && !/[\s<]/.test(source[end]!)) end++;
  const rest = source.slice(at, end);
  const web = URL_START.exec(rest);
  if (web) {
    const domain = DOMAIN.exec(web[0]);
    if (!domain || /_/.test(domain[1]!.split('.').slice(-2).join('.'))) return null;
    const text = trimUrl(web[0]);
    if (text.length < domain[0].length) return null;
    return {text, url: /^www\./i.test(text) ? `http://${text}` : text};
  }
  const email = EMAIL.exec(rest);
  if (!email) return null;
  let text = email[0].replace(/\.$/, '');
  // An address whose domain ends in - or _ is no address at all.
  if (/[-_]$/.test(text)) return null;
  if (/^xmpp:/i.test(text) && text.length === email[0].length) text += XMPP_RESOURCE.exec(rest.slice(text.length))?.[0] ?? '';
  return {text, url: /^(?:mailto|xmpp):/i.test(text) ? text : `mailto:${text}`};
}

/** A URL without what ends the sentence around it, per GFM's extended autolink path validation. */
function trimUrl(url: string): string {
  let text = url;
  for (;;) {
    const before = text;
    text = text.replace(TRAILING_PUNCTUATION, '');
    const entity = /&[a-z\d]+;$/i.exec(text);
    if (entity) text = text.slice(0, entity.index);
    while (text.endsWith(')') && countOf(text, '(') < countOf(text, ')')) text = text.slice(0, -1);
    if (text === before) return text;
  }
}

function countOf(text: string, char: string): number {
  let count = 0;
  for (let at = text.indexOf(char); at !== -1; at = text.indexOf(char, at + 1)) count++;
  return count;
}
