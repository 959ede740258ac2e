// The demo's chat with the keyboard only (real key presses in Chromium): every action reachable
// and usable, and focus never lost to <body>.
import assert from 'node:assert/strict';
import {before, describe, it} from 'node:test';
import {until, useDemo} from './browser.js';

const demo = useDemo();
let page;

/** The focused element, looked for through shadow roots: its tag and its part, or `BODY`. */
const focused = () =>
  page.evaluate(() => {
    let active = document.activeElement;
    while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
    return active === document.body || !active ? 'BODY' : `${active.localName}${active.getAttribute('part') ? `[${active.getAttribute('part')}]` : ''}`;
  });
const chatState = () => page.evaluate(() => ({streaming: document.querySelector('#plain').streaming, messages: document.querySelector('#plain').messages.map((message) => `${message.role}:${message.status}`)}));
const finished = () => until(async () => !(await chatState()).streaming, 'the answer to finish');

/** Presses `key` (with Shift for `shift`) until the focused element is `target`, at most `limit` times. */
async function tabTo(target, {shift = false, limit = 30} = {}) {
  for (let i = 0; i < limit; i++) {
    if ((await focused()) === target) return;
    if (shift) await page.keyboard.down('Shift');
    await page.keyboard.press('Tab');
    if (shift) await page.keyboard.up('Shift');
    assert.notEqual(await focused(), 'BODY', 'focus went to <body>');
  }
  assert.fail(`${target} not reached by Tab`);
}

describe('the chat by keyboard only', {timeout: 120000}, () => {
  before(async () => {
    page = await demo.browser.newPage();
    await page.goto(demo.origin, {waitUntil: 'networkidle0'});
    await page.evaluate(() => (localStorage.clear(), document.querySelector('#plain').clear()));
    await page.evaluate(() => document.querySelector('#plain').shadowRoot.querySelector('[part="input"]').focus());
  });

  it('sends with Enter and keeps focus in the input', async () => {
    await page.keyboard.type('First question');
    await page.keyboard.press('Enter');
    await finished();

    assert.equal(await focused(), 'textarea[input]');
    assert.deepEqual((await chatState()).messages, ['user:done', 'assistant:done']);
  });

  it('reaches the answer\'s rating by Shift+Tab and presses it with the Space bar', async () => {
    await tabTo('button[feedback-down-button]', {shift: true});

    await page.keyboard.press('Space');

    assert.equal(await page.evaluate(() => document.querySelector('#plain').messages.at(-1).feedback), 'down');
    assert.equal(await focused(), 'button[feedback-down-button]');
  });

  it('regenerates with Enter on Regenerate, and focus goes to the input', async () => {
    await tabTo('button[regenerate-button]', {shift: true});

    await page.keyboard.press('Enter');
    await finished();

    assert.equal(await focused(), 'textarea[input]');
  });

  it('edits the last question from its Edit button, and sends the edit with Enter', async () => {
    await tabTo('button[edit-button]', {shift: true});
    await page.keyboard.press('Enter');
    assert.equal(await focused(), 'textarea[editor-input]');

    await page.keyboard.type(' (edited)');
    await page.keyboard.press('Enter');
    await finished();

    assert.match(await page.evaluate(() => document.querySelector('#plain').messages.at(-2).content), /\(edited\)$/);
    assert.equal(await focused(), 'textarea[input]');
  });

  it('stops a streaming answer with Escape, focus staying in the input', async () => {
    await page.keyboard.type('Another question');
    await page.keyboard.press('Enter');
    await until(async () => (await chatState()).streaming, 'the answer to stream');

    await page.keyboard.press('Escape');
    await finished();

    assert.equal((await chatState()).messages.at(-1), 'assistant:stopped');
    assert.equal(await focused(), 'textarea[input]');
  });

  it('presses the answer\'s Copy button, which says what happened (Copied, or why not)', async () => {
    await tabTo('button[copy-answer-button]', {shift: true});

    await page.keyboard.press('Enter');

    await until(() => page.evaluate(() => document.querySelector('#plain').shadowRoot.querySelector('[role="status"].visually-hidden').textContent.trim() !== ''), 'the copy to be announced');
    assert.equal(await focused(), 'button[copy-answer-button]');
  });
});
