type PageTarget = {addEventListener?: EventTarget['addEventListener']; removeEventListener?: EventTarget['removeEventListener']};

/** The page, where there is one (browsers); nothing in Node. */
const page = globalThis as PageTarget & {document?: PageTarget & {visibilityState?: string}; navigator?: {onLine?: boolean}};

/** Whether the page is hidden (a background tab, a phone's other app): it may never come back. @internal */
export function pageHidden(): boolean {
  return page.document?.visibilityState === 'hidden';
}

/** Whether the browser knows it has no network (`navigator.onLine` is false); never in Node. @internal */
export function offline(): boolean {
  return page.navigator?.onLine === false;
}

/** Listens (or stops) for the page being hidden (`visibilitychange`) or left (`pagehide`), where there is a page. @internal */
export function watchPage(listener: (event: Event) => void, on: boolean): void {
  for (const [target, type] of [[page, 'pagehide'], [page.document, 'visibilitychange']] as const) {
    (on ? target?.addEventListener : target?.removeEventListener)?.call(target, type, listener);
  }
}

/** Resolves once the page shows again (or at once when it is not hidden), or when `signal` aborts. @internal */
export function pageShown(signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const check = () => {
      if (pageHidden() && !signal?.aborted) return;
      page.document?.removeEventListener?.('visibilitychange', check);
      signal?.removeEventListener('abort', check);
      resolve();
    };
    page.document?.addEventListener?.('visibilitychange', check);
    signal?.addEventListener('abort', check, {once: true});
    check();
  });
}
