// Shared by the element's browser tests: the scenario server, and reading the shadow DOM.
import {assert, fixture, html} from '@open-wc/testing';

let probeCount = 0;
export const newProbe = () => `e${++probeCount}-${Math.random().toString(36).slice(2)}`;
export const readProbe = async (id) => (await fetch(`/sse-probe/${id}`)).json();
export const endpoint = (name, params = {}) => `/sse/${name}?${new URLSearchParams(params)}`;
export const nextFrame = () => new Promise((resolve) => requestAnimationFrame(() => resolve()));
export const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export async function waitFor(check, what) {
  for (let i = 0; i < 150; i++) {
    if (await check()) return;
    await pause(20);
  }
  assert.fail(`timed out waiting for ${what}`);
}

export const serverSawClose = (probe) => waitFor(async () => (await readProbe(probe)).closed, 'the server to see the connection close');

/** A <chat-stream> on the page, with a token unless `attributes` say otherwise. */
export async function chat(name, {params = {}, token = 'test-token', attributes = ''} = {}) {
  const element = await fixture(html`<chat-stream endpoint=${endpoint(name, params)} token=${token}></chat-stream>`);
  for (const attribute of attributes.split(' ').filter(Boolean)) element.setAttribute(...attribute.split('='));
  return element;
}

export const shadow = (element, selector) => element.shadowRoot.querySelector(selector);
export const shadowAll = (element, selector) => [...element.shadowRoot.querySelectorAll(selector)];
export const answerText = (element) => shadowAll(element, '[part~="assistant"] [part="content"]').at(-1)?.textContent;

/** Records every text the element's live region says while `action` runs (and a little after). */
export async function announcements(element, action) {
  const region = shadow(element, '[role="status"].visually-hidden');
  const said = [];
  const observer = new MutationObserver(() => region.textContent.trim() && said.push(region.textContent.trim()));
  observer.observe(region, {childList: true, subtree: true, characterData: true});
  try {
    await action();
    await pause(300);
  } finally {
    observer.disconnect();
  }
  return said;
}
