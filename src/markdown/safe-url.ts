/** Schemes a link from a model may use; anything else (javascript:, vbscript:, data:, file:, …) is dropped. */
const SAFE_SCHEMES = /^(?:https?|mailto|tel)$/i;

/**
 * The URL to put in a link's `href`, or `null` when it is unsafe. The URL is trimmed first and
 * the trimmed string is both checked and returned, so no white space (`&nbsp;`, U+FEFF, U+3000)
 * can hide a scheme from the check. Browsers ignore whitespace and control characters inside a
 * scheme (`java\tscript:` runs), so the scheme is read without them. Relative URLs are kept.
 * Destinations reach here with their escapes and entities decoded, so `&#106;avascript:` is
 * read as `javascript:`.
 */
export function safeUrl(url: string): string | null {
  const href = url.trim();
  const scheme = /^([a-z][a-z\d+.-]*):/i.exec(href.replace(/[\0-\x20\x7f-\x9f]+/g, ''));
  return scheme && !SAFE_SCHEMES.test(scheme[1]!) ? null : href;
}
