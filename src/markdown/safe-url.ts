/** Schemes a link from a model may use; anything else (javascript:, vbscript:, data:, file:, …) is dropped. */
const SAFE_SCHEMES = /^(?:https?|mailto|tel)$/i;

/**
 * The URL to put in a link's `href`, or `null` when it is unsafe. Browsers ignore whitespace
 * and control characters inside a scheme (`java\tscript:` runs), so the scheme is read without
 * them. Relative URLs are kept; entities are never decoded, so `&#106;avascript:` stays a
 * harmless relative path.
 */
export function safeUrl(url: string): string | null {
  const scheme = /^([a-z][a-z\d+.-]*):/i.exec(url.replace(/[\0-\x20\x7f-\x9f]+/g, ''));
  return scheme && !SAFE_SCHEMES.test(scheme[1]!) ? null : url.trim();
}
