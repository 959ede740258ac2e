type PageTarget = {addEventListener?: EventTarget['addEventListener']; removeEventListener?: EventTarget['removeEventListener']};

/** The page, where there is one (browsers); nothing in Node. */
const page = globalThis as PageTarget & {document?: PageTarget & {visibilityState?: string}};

/** Whether the page is hidden (a background tab, a phone's other app): it may never come back. @internal */
export function pageHidden(): boolean {
  return page.document?.visibilityState === 'hidden';
}

/** Listens (or stops) for the page being hidden (`visibilitychange`) or left (`pagehide`), where there is a page. @internal */
export function watchPage(listener: (event: Event) => void, on: boolean): void {
  for (const [target, type] of [[page, 'pagehide'], [page.document, 'visibilitychange']] as const) {
    (on ? target?.addEventListener : target?.removeEventListener)?.call(target, type, listener);
  }
}
