// End to end: the real demo server, its page in Chromium, a person's clicks and keys.
import assert from 'node:assert/strict';
import {writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, before, describe, it} from 'node:test';
import {startDemoServer} from '../../demo/server.js';
import {until, useDemo} from './browser.js';

const demo = useDemo();
let page;

/** Reads from the #plain chat's shadow DOM. */
const inChat = (read) => page.evaluate(read, null);
const lastAnswer = () => inChat(() => [...document.querySelector('#plain').shadowRoot.querySelectorAll('[part~="assistant"] [part="content"]')].at(-1)?.textContent ?? '');
/** The text of the last message's `part`, or null when it has none. */
const partText = (part) =>
  page.evaluate((name) => [...document.querySelector('#plain').shadowRoot.querySelectorAll('[part~="message"]')].at(-1)?.querySelector(`[part="${name}"]`)?.textContent.trim() ?? null, part);
const streaming = () => inChat(() => document.querySelector('#plain').hasAttribute('streaming'));
/**
 * The last answer's formulas: the TeX that KaTeX drew (from its MathML annotation), with KaTeX's
 * drawing and display box, or the TeX shown as code; and its paragraph with a price.
 */
const lastMath = () =>
  inChat(() => {
    const answer = [...document.querySelector('#plain').shadowRoot.querySelectorAll('[part~="assistant"] [part="content"]')].at(-1);
    const price = [...answer.querySelectorAll('p')].find((paragraph) => paragraph.textContent.includes('It costs'));
    return {
      formulas: [...answer.querySelectorAll('.math')].map((formula) => ({
        display: formula.classList.contains('math-display'),
        drawn: formula.querySelector('annotation[encoding="application/x-tex"]')?.textContent.trim() ?? null,
        box: Boolean(formula.querySelector(formula.classList.contains('math-display') ? '.katex-display > .katex > .katex-html' : '.katex > .katex-html')),
        code: formula.querySelector(':scope > code')?.textContent.trim() ?? null,
      })),
      price: {text: price?.textContent, formulas: price?.querySelectorAll('.math').length},
      mathmlPosition: answer.querySelector('.katex-mathml') && getComputedStyle(answer.querySelector('.katex-mathml')).position,
    };
  });

async function typeAndSend(text) {
  const input = await page.evaluateHandle(() => document.querySelector('#plain').shadowRoot.querySelector('[part="input"]'));
  await input.type(text);
  await input.press('Enter');
}

/** The name and state of the #plain chat's last tool call, or null. */
const lastCall = () =>
  inChat(() => {
    const call = document.querySelector('#plain').session.messages.findLast((message) => message.toolCalls?.length)?.toolCalls.at(-1);
    return call ? {name: call.name, state: call.state} : null;
  });

/** Approves the call waiting in the last answer with the Approve button of its card. */
async function approveWaitingCall() {
  const button = await page.evaluateHandle(() => document.querySelector('#plain').shadowRoot.querySelector('[part~="tool-approve-button"]'));
  assert.ok(button.asElement(), 'an Approve button');
  await button.asElement().click();
}

async function pick(scenario) {
  await page.click(`input[name="scenario"][value="${scenario}"]`);
}

/** Asks with the math scenario and reads its answer's formulas once it is complete. */
async function askForFormulas() {
  await pick('math');
  await typeAndSend('Show me formulas');
  await until(async () => !(await streaming()) && (await lastAnswer()).includes('Basel'), 'the answer with formulas');
  return lastMath();
}

/** The TeX of the math scenario's formulas, in order, and whether each is display math. */
const FORMULAS = [
  {display: false, tex: 'E = mc^2'},
  {display: false, tex: 'a^2 + b^2 = c^2'},
  {display: true, tex: '\\int_0^1 x^2\\,dx = \\frac{1}{3}'},
  {display: true, tex: '\\sum_{n=1}^\\infty \\frac{1}{n^2} = \\frac{\\pi^2}{6}'},
];

describe('the demo page', {timeout: 120000}, () => {
  before(async () => {
    page = await demo.browser.newPage();
    const errors = [];
    page.on('pageerror', (error) => errors.push(error));
    await page.goto(demo.origin, {waitUntil: 'networkidle0'});
    assert.deepEqual(errors, []);
  });

  it('answers a typed message as it streams', async () => {
    await typeAndSend('What is chat-stream?');

    await until(async () => (await streaming()) && (await lastAnswer()).length > 0, 'text while streaming');
    await until(async () => !(await streaming()), 'the answer to finish');
    assert.match(await lastAnswer(), /You asked: What is chat-stream\?/);
    assert.match(await page.$eval('#events', (log) => log.textContent), /#plain done/);
  });

  it('asks for approval before reading the local time, and answers with it once approved', async () => {
    const timeZone = await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone);
    await typeAndSend('What time is it?');

    await until(async () => (await lastCall())?.state === 'approval', 'the local_time call to wait for approval');
    await approveWaitingCall();

    await until(async () => !(await streaming()) && (await lastAnswer()).startsWith('Your local time is'), 'the answer with the time');
    assert.match(await lastAnswer(), /^Your local time is \d{1,2}:\d{2}:\d{2}/);
    assert.ok((await lastAnswer()).includes(`(${timeZone})`), await lastAnswer());
    assert.match(await page.$eval('#events', (log) => log.textContent), /#plain tool-call.*"name":"local_time"/);
  });

  it('calculates without asking, with the page\'s calculate tool', async () => {
    await typeAndSend('calculate 2+3*4');

    await until(async () => !(await streaming()) && (await lastAnswer()) === '2+3*4 = 14', 'the answer with the sum');
    assert.deepEqual(await lastCall(), {name: 'calculate', state: 'done'});
  });

  it('sends an image chosen with the Attach button, and the model describes it', async () => {
    // The smallest GIF: one transparent pixel, 42 bytes.
    const file = join(tmpdir(), 'chat-stream-pixel.gif');
    await writeFile(file, Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64'));
    const chooser = await page.evaluateHandle(() => document.querySelector('#plain').shadowRoot.querySelector('input[type="file"]'));

    await chooser.asElement().uploadFile(file);
    await until(() => inChat(() => Boolean(document.querySelector('#plain').shadowRoot.querySelector('[part~="attachment"] img'))), 'the image chip');
    await typeAndSend('What is this?');

    await until(async () => !(await streaming()) && (await lastAnswer()).includes('pixels'), 'the description of the image');
    assert.match(await lastAnswer(), /image\/gif, 42 bytes, 1 × 1 pixels/);
    assert.equal(await inChat(() => document.querySelector('#plain').shadowRoot.querySelectorAll('[part~="user"] [part~="message-attachment"]').length > 0), true);
  });

  it('answers in the format picked in the Format picker: Anthropic Messages', async () => {
    const posted = [];
    const record = (request) => request.method() === 'POST' && posted.push(new URL(request.url()).pathname);
    page.on('request', record);
    await page.select('#format', 'anthropic');

    await typeAndSend('Anthropic, please');
    await until(async () => !(await streaming()) && /You asked: Anthropic, please/.test(await lastAnswer()), 'the answer in the Anthropic format');
    page.off('request', record);

    assert.deepEqual(posted, ['/v1/messages']);
    assert.deepEqual(await page.$eval('#plain', (chat) => [chat.getAttribute('endpoint'), chat.getAttribute('format')]), ['/v1/messages', 'anthropic']);
    assert.match(await page.$eval('label[for="format"]', (label) => label.textContent), /Format/);
    await page.select('#format', 'openai');
  });

  it('shows the waiting state on a slow first byte, then the answer', async () => {
    await pick('slow-first-byte');
    await typeAndSend('Slow one');

    await until(() => inChat(() => Boolean(document.querySelector('#plain').shadowRoot.querySelector('.waiting'))), 'the waiting indicator');
    await until(async () => !(await streaming()), 'the answer to finish');
    assert.match(await lastAnswer(), /Slow one/);
  });

  for (const [scenario, expected] of [
    ['http-500', /simulated HTTP 500/],
    ['http-429', /Rate limit reached/],
    ['business-error', /insufficient balance/],
    ['no-done', /ended before the answer was complete/],
    ['dropped', /connection broke/],
  ]) {
    it(`shows the ${scenario} failure with Retry, keeping any partial text`, async () => {
      await pick(scenario);
      await typeAndSend(`Try ${scenario}`);

      // The previous test's error may still show until this answer's is drawn: wait for this one.
      await until(async () => expected.test((await partText('error')) ?? ''), 'the error message');
      assert.match(await partText('error'), expected);
      assert.ok(await inChat(() => Boolean(document.querySelector('#plain').shadowRoot.querySelector('[part="retry-button"]'))));
      if (scenario === 'dropped' || scenario === 'no-done') assert.ok((await lastAnswer()).length > 0, 'the partial text stays');
      // The log draws the error event after the element has drawn the failure.
      const lastLogged = () => page.$eval('#events li', (item) => item.textContent);
      await until(async () => /#plain error/.test(await lastLogged()), 'the error event in the log');
      assert.match(await lastLogged(), /#plain error/);
    });
  }

  it('shows the sign-in prompt on a 401, not an error', async () => {
    await pick('http-401');
    await typeAndSend('Refused');

    await until(() => inChat(() => !document.querySelector('#plain').shadowRoot.querySelector('[part="login"]').hidden), 'the sign-in prompt');
    assert.match(await page.$eval('#events li', (item) => item.textContent), /#plain login-required.*unauthorized/);
  });

  it('replaces a moderated answer with its filteredText', async () => {
    await pick('moderation');
    await typeAndSend('Moderate me');

    await until(async () => !(await streaming()) && (await lastAnswer()).includes('withheld by moderation'), 'the filtered text');
    assert.doesNotMatch(await lastAnswer(), /10013/);
  });

  it('keeps Chinese split across network writes intact', async () => {
    await pick('chinese-split');
    await typeAndSend('Chinese please');

    // About 4,700 writes of 7 bytes, a pause every ten: some 15 seconds.
    await until(async () => !(await streaming()) && (await lastAnswer()).includes('就这些'), 'the Chinese answer', 30000);
    assert.ok(!(await lastAnswer()).includes('\uFFFD'));
  });

  it('draws the math scenario\'s formulas with KaTeX inside the chat, leaving the price as text', async () => {
    await until(() => inChat(() => typeof document.querySelector('#plain').math === 'function'), 'KaTeX to load');
    const answer = await askForFormulas();
    assert.deepEqual(answer.formulas, FORMULAS.map(({display, tex}) => ({display, drawn: tex, box: true, code: null})));
    assert.deepEqual(answer.price, {text: 'Prices are no formulas: It costs $5 and $6.', formulas: 0});
    // KaTeX's stylesheet reached the shadow root (its MathML copy is hidden) and the page (its fonts loaded).
    assert.strictEqual(answer.mathmlPosition, 'absolute');
    assert.ok(await page.evaluate(() => [...document.fonts].some((font) => font.family.includes('KaTeX_Main') && font.status === 'loaded')));
    assert.match(await page.$eval('#math-hint', (hint) => hint.textContent), /KaTeX \d+\.\d+\.\d+/);
  });

  it('stops an answer with the Stop button', async () => {
    await pick('long');
    await typeAndSend('A long one');
    await until(async () => (await lastAnswer()).length > 20, 'some text');

    await page.evaluate(() => document.querySelector('#plain').shadowRoot.querySelector('[part="send-button"]').click());

    await until(async () => (await partText('status')) === 'Stopped', 'the Stopped note');
    assert.match(await page.$eval('#events', (log) => log.textContent), /#plain stop/);
  });

  it('asks for sign-in after Sign out, and signs back in from the login slot', async () => {
    await pick('normal');
    await page.click('#sign-out');
    await typeAndSend('Signed out?');
    await until(() => inChat(() => !document.querySelector('#plain').shadowRoot.querySelector('[part="login"]').hidden), 'the sign-in prompt');
    assert.match(await page.$eval('#events li', (item) => item.textContent), /missing-token/);

    await page.click('#plain [data-sign-in]');
    await page.evaluate(() => document.querySelector('#plain').shadowRoot.querySelector('form').requestSubmit());

    await until(async () => !(await streaming()) && (await lastAnswer()).includes('Signed out?'), 'the answer after signing in');
  });
});

describe('the demo page without KaTeX installed', {timeout: 60000}, () => {
  let server;
  before(async () => {
    server = await startDemoServer({port: 0, host: '127.0.0.1', katexDir: join(tmpdir(), 'chat-stream-no-katex')});
    page = await demo.browser.newPage();
    await page.goto(`http://127.0.0.1:${server.address().port}`, {waitUntil: 'networkidle0'});
  });
  after(() => {
    server.closeAllConnections();
    server.close();
  });

  it('says so, and shows the formulas as TeX code', async () => {
    const answer = await askForFormulas();
    assert.match(await page.$eval('#math-hint', (hint) => hint.textContent), /KaTeX is not installed/);
    assert.deepEqual(answer.formulas, FORMULAS.map(({display, tex}) => ({display, drawn: null, box: false, code: tex})));
    assert.deepEqual(answer.price, {text: 'Prices are no formulas: It costs $5 and $6.', formulas: 0});
  });
});
