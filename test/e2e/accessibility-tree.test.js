// What assistive technology is given: Chromium's accessibility tree (CDP
// Accessibility.getFullAXTree) for the demo's chat after a finished Markdown answer, and what its
// live region says while that answer streams.
import assert from 'node:assert/strict';
import {before, describe, it} from 'node:test';
import {until, useDemo} from './browser.js';

const demo = useDemo();
let page;
let tree;
let said;

/** The unignored nodes of the tree, as {role, name, live, level}. */
const nodes = () =>
  tree
    .filter((node) => !node.ignored)
    .map((node) => {
      const property = (name) => node.properties?.find((entry) => entry.name === name)?.value.value;
      return {role: node.role?.value, name: node.name?.value ?? '', live: property('live'), level: property('level')};
    });

describe('the accessibility tree of a finished conversation', {timeout: 120000}, () => {
  before(async () => {
    page = await demo.browser.newPage();
    await page.goto(demo.origin, {waitUntil: 'networkidle0'});
    // Every text the chat's live region says, from before the question to the end of the answer.
    await page.evaluate(() => {
      document.querySelector('#plain').setAttribute('log-label', 'Plain chat');
      window.said = [];
      const region = document.querySelector('#plain').shadowRoot.querySelector('[role="status"].visually-hidden');
      new MutationObserver(() => region.textContent.trim() && window.said.push(region.textContent.trim())).observe(region, {childList: true, subtree: true, characterData: true});
    });
    const input = await page.evaluateHandle(() => document.querySelector('#plain').shadowRoot.querySelector('[part="input"]'));
    await input.type('Show me Markdown');
    await input.press('Enter');
    await until(() => page.evaluate(() => document.querySelector('#plain').messages.at(-1)?.status === 'done'), 'the answer to finish');
    await new Promise((resolve) => setTimeout(resolve, 400));
    said = await page.evaluate(() => window.said);
    const cdp = await page.createCDPSession();
    await cdp.send('Accessibility.enable');
    ({nodes: tree} = await cdp.send('Accessibility.getFullAXTree'));
  });

  it('has a log named by log-label that is not live', () => {
    const logs = nodes().filter((node) => node.role === 'log' && node.name === 'Plain chat');

    assert.equal(logs.length, 1);
    assert.notEqual(logs[0].live, 'polite');
    assert.notEqual(logs[0].live, 'assertive');
  });

  it('names each message by who said it', () => {
    const groups = nodes().filter((node) => node.role === 'group' && ['You', 'Assistant'].includes(node.name));

    assert.deepEqual(
      groups.map((node) => node.name),
      ['You', 'Assistant'],
    );
  });

  it('has one polite live region in the chat, and it spoke once for the answer, with its text', async () => {
    const polite = nodes().filter((node) => node.live === 'polite' && node.role === 'status');
    // The answer's words as drawn, without code blocks' headers (language, Copy), which are not read.
    const answer = await page.evaluate(() => {
      const content = document.querySelector('#plain').shadowRoot.querySelector('[part~="assistant"] [part="content"]').cloneNode(true);
      for (const header of content.querySelectorAll('.code-header')) header.remove();
      return content.textContent;
    });
    const letters = (text) => text.replace(/\s+/g, '');

    assert.ok(polite.length >= 1);
    assert.equal(said.length, 1, JSON.stringify(said));
    assert.ok(said[0].startsWith('Answer: '), said[0]);
    assert.ok(letters(answer).startsWith(letters(said[0].slice('Answer: '.length).replace(/…$/, ''))), said[0]);
  });

  it("puts the answer's headings below level 2 in the page's outline", async () => {
    const headings = await page.evaluate(() => [...document.querySelector('#plain').shadowRoot.querySelectorAll('[part="content"] :is(h1, h2, h3, h4, h5, h6)')].map((heading) => heading.textContent));
    const levels = nodes().filter((node) => node.role === 'heading' && headings.includes(node.name));

    assert.ok(levels.length > 0, 'the answer has headings');
    assert.ok(levels.every((node) => node.level >= 3), JSON.stringify(levels));
  });
});
