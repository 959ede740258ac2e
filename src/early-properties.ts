/**
 * Properties set before the element was defined are own properties that hide its accessors:
 * each is taken off and set again through its accessor (`session` before `messages`).
 *
 * @internal
 */
export function upgradeEarly(element: object, properties: readonly string[]): void {
  const own = element as Record<string, unknown>;
  for (const property of properties) {
    if (!Object.prototype.hasOwnProperty.call(own, property)) continue;
    const early = own[property];
    delete own[property];
    own[property] = early;
  }
}
