// End to end: the demo page for everyone (issue 14): phones and 200% zoom, both colour schemes,
// no failed requests, a clear message on a busy port, a sign-in that signs in, and axe-core with
// zero violations on the page in light and dark at 1280 and 375 CSS px.
import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {createRequire} from 'node:module';
import {fileURLToPath} from 'node:url';
import {describe, it} from 'node:test';
import {until, useDemo} from './browser.js';

/**
 * axe rule ids tolerated inside the element's shadow DOM (and still printed as a diagnostic):
 * none now. Anything on the page itself, and any rule in the element, fails.
 */
const KNOWN_ELEMENT_VIOLATIONS = [];

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const SERVER = fileURLToPath(new URL('../../demo/server.js', import.meta.url));
const QUESTION = 'Show me a code example';

const demo = useDemo();

/**
 * Opens the demo in a browser context of its own (empty storage) at `width`×`height` CSS px in
 * `scheme`; `failed` collects any response of 400 or more and any request that failed.
 */
async function openDemo({width = 1280, height = 800, deviceScaleFactor = 1, scheme = 'light'} = {}) {
  const context = await demo.browser.createBrowserContext();
  const page = await context.newPage();
  const failed = [];
  const errors = [];
  page.on('response', (response) => response.status() >= 400 && failed.push(`${response.status()} ${response.url()}`));
  page.on('requestfailed', (request) => failed.push(`${request.failure()?.errorText} ${request.url()}`));
  page.on('pageerror', (error) => errors.push(error));
  await page.setViewport({width, height, deviceScaleFactor});
  await page.emulateMediaFeatures([{name: 'prefers-color-scheme', value: scheme}]);
  await page.goto(demo.origin, {waitUntil: 'networkidle0'});
  assert.deepEqual(errors, []);
  return {page, failed, close: () => context.close()};
}

/** Sends `text` from `selector`'s chat (by code) and resolves once its answer is drawn, with the result's status. */
const send = (page, selector, text) => page.$eval(selector, async (chat, question) => (await chat.send(question)).status, text);

/** Both chats answer with the Normal scenario's Markdown (headings, lists, a code block, a table). */
async function answerBoth(page) {
  await page.click('input[name="scenario"][value="normal"]');
  assert.deepEqual(await Promise.all([send(page, '#plain', QUESTION), send(page, '#themed', QUESTION)]), ['done', 'done']);
  for (const selector of ['#plain', '#themed']) {
    const drawn = await page.$eval(selector, (chat) => ({code: Boolean(chat.shadowRoot.querySelector('[part="code-block"]')), table: Boolean(chat.shadowRoot.querySelector('table'))}));
    assert.deepEqual(drawn, {code: true, table: true}, `${selector} drew a code block and a table`);
  }
}

/** Runs axe-core on the whole page (it enters shadow roots itself); `only` limits it to those rule ids. */
async function runAxe(page, only) {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({path: AXE});
  return page.evaluate(async (rules) => {
    const {violations} = await window.axe.run(document, rules ? {runOnly: {type: 'rule', values: rules}} : {});
    return violations.map(({id, impact, help, nodes}) => ({id, impact, help, nodes: nodes.map(({target, failureSummary}) => ({target, summary: failureSummary}))}));
  }, only ?? null);
}

/** A node inside a shadow root has a target of several selectors: the host first. */
const inElement = (node) => Array.isArray(node.target[0]) || node.target.length > 1;

/**
 * Splits violations into the page's, the element's that are new, and the element's that are
 * known (KNOWN_ELEMENT_VIOLATIONS), node by node.
 */
function sortViolations(violations) {
  const sorted = {page: [], element: [], known: []};
  for (const violation of violations) {
    for (const node of violation.nodes) {
      const where = !inElement(node) ? 'page' : KNOWN_ELEMENT_VIOLATIONS.includes(violation.id) ? 'known' : 'element';
      sorted[where].push({id: violation.id, impact: violation.impact, help: violation.help, target: node.target, summary: node.summary});
    }
  }
  return sorted;
}

const describeNodes = (nodes) => nodes.map(({id, impact, help, target, summary}) => `  ${id} (${impact}): ${help}\n    at ${JSON.stringify(target)}\n    ${summary.replace(/\n/g, '\n    ')}`).join('\n');

/** Fails on any violation on the page or new in the element; prints the element's known ones. */
function assertNoViolations(violations, state, t) {
  const {page, element, known} = sortViolations(violations);
  // One diagnostic per line: TAP would print a line break as \\n.
  const report = (title, nodes) => nodes.length && [title, ...describeNodes(nodes).split('\n')].forEach((line) => t.diagnostic(line));
  report(`${state}: known element-side violations (issue 14, src/):`, known);
  report(`${state}: element-side violations (inside <chat-stream>'s shadow DOM, src/):`, element);
  assert.equal(page.length + element.length, 0, `${state}: axe violations\n${describeNodes([...page, ...element])}`);
}

describe('the demo page for everyone', {timeout: 240000}, () => {
  for (const viewport of [
    {width: 375, height: 800, deviceScaleFactor: 1, name: 'a 375 px phone'},
    // 200% zoom of a 1280 px window: 640 CSS px, two device pixels each.
    {width: 640, height: 800, deviceScaleFactor: 2, name: '200% zoom (640 CSS px)'},
  ]) {
    it(`fits ${viewport.name} with no horizontal scroll, each Send button on screen`, async () => {
      const {page, close} = await openDemo(viewport);
      try {
        await answerBoth(page);
        const layout = await page.evaluate(() => ({
          scrollWidth: document.documentElement.scrollWidth,
          innerWidth,
          sends: [...document.querySelectorAll('chat-stream')].map((chat) => {
            const {left, right} = chat.shadowRoot.querySelector('[part="send-button"]').getBoundingClientRect();
            return {chat: chat.id, left, right};
          }),
          // The widest snippet scrolls inside its own box.
          snippetsScroll: [...document.querySelectorAll('.snippets pre')].some((pre) => pre.scrollWidth > pre.clientWidth),
        }));
        assert.ok(layout.scrollWidth <= layout.innerWidth, `the page is ${layout.scrollWidth} px wide in a ${layout.innerWidth} px viewport`);
        assert.equal(layout.sends.length, 2);
        for (const {chat, left, right} of layout.sends) {
          assert.ok(left >= 0 && right <= layout.innerWidth, `#${chat}'s Send button spans ${left}–${right} px of ${layout.innerWidth}`);
        }
        assert.ok(layout.snippetsScroll, 'a snippet wider than the viewport scrolls inside itself');
      } finally {
        await close();
      }
    });
  }

  for (const scheme of ['dark', 'light']) {
    it(`keeps the themed chat and the event log readable in ${scheme} mode: answer, error, sign-in`, async (t) => {
      const {page, close} = await openDemo({scheme});
      try {
        // An answer (code header, table), a failure (error text, Retry), then the sign-in prompt.
        await answerBoth(page);
        await page.click('input[name="scenario"][value="http-500"]');
        assert.equal(await send(page, '#themed', 'Fail, please'), 'error');
        await page.click('input[name="scenario"][value="normal"]');
        await page.click('#sign-out');
        assert.equal(await send(page, '#themed', 'Signed out?'), 'login-required');
        assert.equal(await page.$eval('#themed', (chat) => chat.shadowRoot.querySelector('[part="login"]').hidden), false);
        const logged = await page.$$eval('#events li', (items) => items.map((item) => item.className));
        for (const type of ['done', 'error', 'login-required']) assert.ok(logged.includes(type), `the log shows a ${type} line`);

        assertNoViolations(await runAxe(page, ['color-contrast']), `${scheme}, themed chat answered, failed and signed out`, t);
        // The theme is whole in this scheme: the chat's muted and error colours are its own.
        const colours = await page.$eval('#themed', (chat) => {
          const style = getComputedStyle(chat);
          return ['--chat-stream-background', '--chat-stream-muted-color', '--chat-stream-error-color'].map((name) => style.getPropertyValue(name).trim());
        });
        assert.deepEqual(colours, scheme === 'dark' ? ['#1c1412', '#cbb4a3', '#ff9a85'] : ['#fffaf3', '#6f4e3d', '#a3260f']);
      } finally {
        await close();
      }
    });
  }

  it('asks the server for no favicon (or anything else) that is not there', async () => {
    const {page, failed, close} = await openDemo();
    try {
      // The browser asks for an icon after the load, if at all.
      await new Promise((resolve) => setTimeout(resolve, 500));
      assert.deepEqual(failed, []);
      assert.match(await page.$eval('link[rel="icon"]', (link) => link.href), /^data:image\/svg\+xml,/);
    } finally {
      await close();
    }
  });

  it('says in one line which port is busy and how to choose another, and exits non-zero', async () => {
    const port = demo.server.address().port;
    const child = spawn(process.execPath, [SERVER], {env: {...process.env, PORT: String(port), HOST: '127.0.0.1'}, stdio: ['ignore', 'pipe', 'pipe']});
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill(), 10000);
    const code = await new Promise((resolve) => child.on('exit', (exitCode) => resolve(exitCode)));
    clearTimeout(timer);

    assert.notEqual(code, 0);
    assert.notEqual(code, null, 'it exits by itself');
    assert.equal(stdout, '');
    const lines = stderr.trim().split('\n');
    assert.equal(lines.length, 1, `one line, not a stack:\n${stderr}`);
    assert.match(lines[0], new RegExp(`port ${port}\\b.*already in use`));
    assert.match(lines[0], /PORT environment variable/);
    assert.doesNotMatch(stderr, /EADDRINUSE|\bat .*:\d+:\d+/);
  });

  describe('signing in from the login slot', () => {
    /** Types into `chat`'s input and presses Enter, as a person does. */
    async function typeAndSend(page, chat, text) {
      const input = await page.evaluateHandle((selector) => document.querySelector(selector).shadowRoot.querySelector('[part="input"]'), chat);
      await input.type(text);
      await input.press('Enter');
    }
    const promptShown = (page, chat) => page.$eval(chat, (element) => !element.shadowRoot.querySelector('[part="login"]').hidden);
    const reason = (page, chat) => page.$eval(`${chat} [data-login-reason]`, (node) => node.textContent);
    /** Where focus is: the element's id and the part focused inside its shadow root, or the page's tag. */
    const focused = (page) =>
      page.evaluate(() => {
        const active = document.activeElement;
        return active?.shadowRoot ? `#${active.id} ${active.shadowRoot.activeElement?.getAttribute('part')}` : active?.tagName.toLowerCase();
      });
    const lastAnswer = (page, chat) => page.$eval(chat, (element) => element.messages.at(-1));
    const tokens = (page) => page.$$eval('chat-stream', (chats) => chats.map((chat) => chat.token));

    it('after a 401 with the same token: says the server refused it, then signs in, focuses the question and sends it again', async () => {
      const {page, close} = await openDemo();
      try {
        await page.click('input[name="scenario"][value="http-401"]');
        await typeAndSend(page, '#plain', 'Refused once');
        await until(() => promptShown(page, '#plain'), 'the sign-in prompt');
        assert.equal(await reason(page, '#plain'), 'The server refused the token (HTTP 401).');
        assert.deepEqual(await tokens(page), ['demo-token', 'demo-token']);

        // By keyboard: the prompt hides under the focused button, and focus goes to the question.
        await page.focus('#plain [data-sign-in]');
        await page.keyboard.press('Enter');
        await until(async () => !(await promptShown(page, '#plain')), 'the prompt to hide');
        assert.deepEqual(await tokens(page), ['demo-token', 'demo-token']);
        assert.equal(await page.$eval('#plain', (chat) => chat.session.status), 'idle');
        assert.match(await page.$eval('#sign-in-status', (status) => status.textContent), /^Signed in with the demo token \(the scenario is back to Normal/);
        assert.equal(await page.$eval('input[name="scenario"]:checked', (input) => input.value), 'normal');
        await until(async () => (await focused(page)) === '#plain input', 'focus on the input');
        assert.equal(await page.$eval('#plain', (chat) => chat.shadowRoot.querySelector('[part="input"]').value), 'Refused once');

        await page.keyboard.press('Enter');
        await until(async () => (await lastAnswer(page, '#plain'))?.status === 'done', 'the answer after signing in');
        assert.match((await lastAnswer(page, '#plain')).content, /You asked: \*\*Refused once\*\*/);
      } finally {
        await close();
      }
    });

    it('after Sign out: says there is no token, then signs both chats back in and the question is answered', async () => {
      const {page, close} = await openDemo();
      try {
        await page.click('#sign-out');
        assert.match(await page.$eval('#sign-in-status', (status) => status.textContent), /^Signed out/);
        assert.deepEqual(await tokens(page), ['', '']);
        await typeAndSend(page, '#themed', 'No token yet');
        await until(() => promptShown(page, '#themed'), 'the sign-in prompt');
        assert.equal(await reason(page, '#themed'), 'Signed out: there is no token.');

        await page.click('#themed [data-sign-in]');
        await until(async () => !(await promptShown(page, '#themed')), 'the prompt to hide');
        assert.deepEqual(await tokens(page), ['demo-token', 'demo-token']);
        assert.equal(await page.$eval('#sign-in-status', (status) => status.textContent), 'Signed in with the demo token. Send your question again.');
        await until(async () => (await focused(page)) === '#themed input', 'focus on the input');

        await page.keyboard.press('Enter');
        await until(async () => (await lastAnswer(page, '#themed'))?.status === 'done', 'the answer after signing in');
        assert.match((await lastAnswer(page, '#themed')).content, /You asked: \*\*No token yet\*\*/);
      } finally {
        await close();
      }
    });
  });

  for (const scheme of ['light', 'dark']) {
    for (const width of [1280, 375]) {
      it(`has no axe violations in ${scheme} mode at ${width} px, with a Markdown answer in each chat`, async (t) => {
        const {page, close} = await openDemo({width, height: 800, scheme});
        try {
          await answerBoth(page);
          const violations = await runAxe(page);
          const {page: onPage, element, known} = sortViolations(violations);
          t.diagnostic(`axe, ${scheme} at ${width} px: ${onPage.length} on the page, ${element.length + known.length} inside the element (${known.length} known)`);
          assertNoViolations(violations, `${scheme} at ${width} px`, t);
        } finally {
          await close();
        }
      });
    }
  }
});
