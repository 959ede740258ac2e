/**
 * Several elements may show one session: each fires the session's events on itself, and only
 * one lets them bubble to the page, so that a listener on `document` hears each event once. It
 * is the element that last acted on the session, while it is on the page, else the first shown.
 */
const views = new WeakMap<object, {shown: Set<object>; actor?: object}>();

function viewsOf(session: object): {shown: Set<object>; actor?: object} {
  let entry = views.get(session);
  if (!entry) views.set(session, (entry = {shown: new Set()}));
  return entry;
}

/** `view` shows `session` on the page (or no longer does). @internal */
export function showing(session: object, view: object, on: boolean): void {
  const {shown} = viewsOf(session);
  if (on) shown.add(view);
  else shown.delete(view);
}

/** `view` started an action on `session`: its events bubble from now on, while it is shown. @internal */
export function acted(session: object, view: object): void {
  viewsOf(session).actor = view;
}

/** Whether `view`'s events for `session` bubble. @internal */
export function bubbles(session: object, view: object): boolean {
  const {shown, actor} = viewsOf(session);
  const chosen = actor && shown.has(actor) ? actor : shown.values().next().value;
  return !chosen || chosen === view;
}
