// End to end: the demo's persisted chat across reloads and tabs, in Chromium, against the real
// demo server. Each test has its own browser context, so its localStorage starts empty.
import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {until, useDemo} from './browser.js';

const demo = useDemo();

async function openDemo(context) {
  const page = await context.newPage();
  await page.goto(demo.origin, {waitUntil: 'networkidle0'});
  return page;
}

/** The #plain chat's messages as [role, content, status], and whether it streams. */
const messages = (page) => page.evaluate(() => document.querySelector('#plain').messages.map(({role, content, status}) => [role, content, status]));
const streaming = (page) => page.evaluate(() => document.querySelector('#plain').hasAttribute('streaming'));
const shownTexts = (page) => page.evaluate(() => [...document.querySelector('#plain').shadowRoot.querySelectorAll('[part="content"]')].map((node) => node.textContent));

async function ask(page, text, scenario = 'normal') {
  // Only the tab in front takes clicks and keys, as for a person.
  await page.bringToFront();
  await page.click(`input[name="scenario"][value="${scenario}"]`);
  const input = await page.evaluateHandle(() => document.querySelector('#plain').shadowRoot.querySelector('[part="input"]'));
  await input.type(text);
  await input.press('Enter');
}

describe('the demo keeps its default chat', {timeout: 120000}, () => {
  it('restores the conversation after a reload', async () => {
    const context = await demo.browser.createBrowserContext();
    const page = await openDemo(context);
    await ask(page, 'Remember me');
    await until(async () => (await messages(page)).length === 2 && !(await streaming(page)), 'the answer');
    const before = await messages(page);

    await page.reload({waitUntil: 'networkidle0'});

    assert.deepEqual(await messages(page), before);
    assert.match((await shownTexts(page)).join('\n'), /Remember me/);
    await context.close();
  });

  it('keeps an answer cut by a reload as stopped, with its text', async () => {
    const context = await demo.browser.createBrowserContext();
    const page = await openDemo(context);
    await ask(page, 'A long one', 'long');
    await until(async () => ((await messages(page))[1]?.[1].length ?? 0) > 40, 'some of the answer');

    await page.reload({waitUntil: 'networkidle0'});

    const [question, answer] = await messages(page);
    assert.deepEqual(question, ['user', 'A long one', 'done']);
    assert.strictEqual(answer[2], 'stopped');
    assert.ok(answer[1].length > 40, 'the partial answer is kept');
    await context.close();
  });

  it('keeps two tabs in step', async () => {
    const context = await demo.browser.createBrowserContext();
    const [left, right] = [await openDemo(context), await openDemo(context)];

    await ask(left, 'From the left tab');
    await until(async () => (await messages(right)).length === 2 && (await messages(right))[1][2] === 'done', 'the answer in the other tab');
    await ask(right, 'From the right tab');
    await until(async () => (await messages(left)).length === 4 && (await messages(left))[3][2] === 'done', 'the second answer in the first tab');

    assert.deepEqual(await messages(left), await messages(right));
    await context.close();
  });

  it('starts anew with New conversation, also after a reload, keeping the earlier one saved', async () => {
    const context = await demo.browser.createBrowserContext();
    const page = await openDemo(context);
    await ask(page, 'Forget me');
    await until(async () => (await messages(page)).length === 2 && !(await streaming(page)), 'the answer');

    await page.click('#new-conversation');
    await page.reload({waitUntil: 'networkidle0'});

    assert.deepEqual(await messages(page), []);
    const kept = await page.evaluate(() => JSON.parse(localStorage.getItem('chat-stream:demo')).messages.map((message) => message.content));
    assert.strictEqual(kept[0], 'Forget me', 'the earlier conversation stays saved');
    await context.close();
  });

  it('sends a starter when it is clicked, and rates the answer', async () => {
    const context = await demo.browser.createBrowserContext();
    const page = await openDemo(context);

    await page.evaluate(() => document.querySelector('#plain').shadowRoot.querySelector('[part="starter-button"]').click());
    await until(async () => (await messages(page)).length === 2 && !(await streaming(page)), 'the answer');
    await page.evaluate(() => document.querySelector('#plain').shadowRoot.querySelector('[part="feedback-up-button"]').click());

    assert.deepEqual((await messages(page))[0], ['user', 'What is chat-stream?', 'done']);
    assert.match(await page.$eval('#events li', (item) => item.textContent), /#plain feedback.*"value":"up"/);
    await context.close();
  });
});
