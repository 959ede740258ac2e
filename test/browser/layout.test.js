// How <chat-stream> lays itself out for every reader: right to left, on a 320 px phone, with
// touch-sized controls, reduced motion and forced colours (Windows high contrast).
import {assert} from '@open-wc/testing';
import {emulateMedia, setViewport} from '@web/test-runner-commands';
import '../../src/chat-stream.ts';
import {chat, shadow, shadowAll, waitFor} from './helpers.js';

const CODE_LINE = `const line = '${'x'.repeat(185)}';`;
const COLUMNS = Array.from({length: 12}, (_, index) => `Column ${index + 1}`);
const URL = `https://example.com/${'a'.repeat(130)}`;
/** A finished Markdown answer as wide as answers get: a long code line, a 12-column table, a long URL. */
const WIDE_ANSWER = [
  'Here it is:',
  '',
  '```js',
  CODE_LINE,
  '```',
  '',
  `| ${COLUMNS.join(' | ')} |`,
  `| ${COLUMNS.map(() => '---').join(' | ')} |`,
  `| ${COLUMNS.map((_, index) => `value ${index + 1}`).join(' | ')} |`,
  '',
  `See ${URL}`,
].join('\n');

/** A <chat-stream> showing a finished conversation: `question`, and `answer` to it. */
async function conversation(answer = WIDE_ANSWER, attributes = '', question = 'q') {
  const element = await chat('greeting', {attributes});
  element.messages = [
    {role: 'user', content: question},
    {role: 'assistant', content: answer},
  ];
  await element.updateComplete;
  await waitFor(() => shadowAll(element, '[part~="assistant"] [part="content"] > *').length > 0, 'the answer to render');
  return element;
}

/** A <chat-stream> whose answer's one tool call runs until the test stops it (or, with `confirm`, waits for approval). */
async function runningTool(confirm = false) {
  const element = await chat('tool-round', {attributes: 'format=openai'});
  element.tools = {get_time: {confirm, run: () => new Promise(() => {})}};
  const sent = element.send('What time is it?');
  await waitFor(() => shadow(element, `[part~="tool-call"][data-state="${confirm ? 'approval' : 'running'}"]`), 'the tool call');
  return {element, stop: () => (element.stop(), sent)};
}

/** A <chat-stream> whose model thinks (slowly) until the test stops it. */
async function thinkingChat(attributes = '') {
  const element = await chat('think-tags', {params: {split: 'every-128', pace: 40}, attributes});
  const sent = element.send('hi');
  await waitFor(() => shadow(element, '[part~="reasoning"][part~="thinking"] [part="reasoning-content"] > *'), 'the model to think');
  return {element, stop: () => (element.stop(), sent)};
}

const box = (node) => node.getBoundingClientRect();
const style = (node, pseudo) => getComputedStyle(node, pseudo);

/** The controls smaller than 24×24 CSS px among those `selector` finds (WCAG 2.5.8), as `part width×height`. */
function smallTargets(element, selector) {
  const controls = shadowAll(element, selector);
  assert.isNotEmpty(controls, `no ${selector} to measure`);
  return controls.map((control) => [control.getAttribute('part'), box(control)]).filter(([, {width, height}]) => width < 24 || height < 24).map(([part, {width, height}]) => `${part} ${width}×${height}`);
}

/** Applies the element's `@media (forced-colors: active)` rules as if the media matched (Chromium's emulation does not reach them here). */
function forceColors(element) {
  const sheets = element.shadowRoot.adoptedStyleSheets;
  const rules = sheets.flatMap((sheet) => [...sheet.cssRules]).filter((rule) => rule instanceof CSSMediaRule && rule.conditionText.includes('forced-colors: active'));
  assert.isNotEmpty(rules, 'no forced-colors rules');
  const forced = new CSSStyleSheet();
  forced.replaceSync(rules.flatMap((rule) => [...rule.cssRules].map((inner) => inner.cssText)).join('\n'));
  element.shadowRoot.adoptedStyleSheets = [...sheets, forced];
}

afterEach(async () => {
  await setViewport({width: 800, height: 600});
  await emulateMedia({reducedMotion: 'no-preference'});
});

describe('<chat-stream> right to left', () => {
  it('puts the user message at the inline end and the answer at the inline start', async () => {
    const ltr = await conversation('a');
    const rtl = await conversation('a', 'dir=rtl');

    const [ltrUser, ltrAnswer] = shadowAll(ltr, '[part~="message"]').map(box);
    const [rtlUser, rtlAnswer] = shadowAll(rtl, '[part~="message"]').map(box);

    assert.isAbove(ltrUser.right, ltrAnswer.right);
    assert.isBelow(rtlUser.left, rtlAnswer.left);
  });

  it("mirrors the bubbles' pointed corners", async () => {
    const ltr = await conversation('a');
    const rtl = await conversation('a', 'dir=rtl');

    const corners = (element) =>
      shadowAll(element, '[part~="message"]').map((message) => [style(message).borderBottomLeftRadius, style(message).borderBottomRightRadius]);

    // [user, assistant], each [bottom left, bottom right]: the small corner is the one nearest its side.
    assert.deepEqual(corners(ltr), [['12px', '3px'], ['3px', '12px']]);
    assert.deepEqual(corners(rtl), [['3px', '12px'], ['12px', '3px']]);
  });

  it('mirrors from an ancestor with dir="rtl" too', async () => {
    const element = await conversation('a');

    element.parentElement.dir = 'rtl';

    const [user, answer] = shadowAll(element, '[part~="message"]').map(box);
    assert.isBelow(user.left, answer.left);
    element.parentElement.removeAttribute('dir');
  });

  it('puts the Send button at the inline end of the input', async () => {
    const ltr = await chat('greeting');
    const rtl = await chat('greeting', {attributes: 'dir=rtl'});

    const [ltrInput, ltrSend] = [shadow(ltr, '[part="input"]'), shadow(ltr, '[part="send-button"]')].map(box);
    const [rtlInput, rtlSend] = [shadow(rtl, '[part="input"]'), shadow(rtl, '[part="send-button"]')].map(box);

    assert.isAtLeast(ltrSend.left, ltrInput.right);
    assert.isAtMost(rtlSend.right, rtlInput.left);
  });

  it("puts the user's actions at the inline end of their bubble", async () => {
    const element = await conversation('a', 'dir=rtl', 'A question wider than its actions');

    const user = shadow(element, '[part~="user"]');
    const edit = shadow(element, '[part~="user"] [part="edit-button"]');

    assert.isBelow(box(edit).left - box(user).left, box(user).right - box(edit).right);
  });

  it('keeps code left to right, aligned left, in a right-to-left answer', async () => {
    const element = await conversation('مرحبا\n\n```js\nlet a = 1;\n```', 'dir=rtl');

    const pre = shadow(element, 'pre');

    assert.strictEqual(style(pre).direction, 'ltr');
    assert.strictEqual(style(pre).textAlign, 'left');
  });

  it("lays a table's columns out in the text's direction", async () => {
    const element = await conversation('| أ | ب |\n| - | - |\n| 1 | 2 |', 'dir=rtl');

    const [first, second] = shadowAll(element, 'th').map(box);

    assert.isAbove(first.left, second.left);
  });
});

describe('<chat-stream> on a phone', () => {
  it('fits 320 px: code and tables scroll inside themselves, long words wrap', async () => {
    await setViewport({width: 320, height: 640});
    const element = await conversation();
    element.style.width = '320px';

    const log = shadow(element, '[part="log"]');
    const [pre, table] = [shadow(element, 'pre'), shadow(element, '.table')];

    assert.isAtMost(log.scrollWidth, log.clientWidth, 'the log scrolls sideways');
    assert.isAtMost(element.shadowRoot.host.scrollWidth, element.clientWidth, 'the element scrolls sideways');
    assert.isAbove(pre.scrollWidth, pre.clientWidth, 'the code block does not scroll');
    assert.isAbove(table.scrollWidth, table.clientWidth, 'the table does not scroll');
  });

  it('fits an open editor in 320 px', async () => {
    await setViewport({width: 320, height: 640});
    const element = await conversation('a');
    element.style.width = '320px';

    shadow(element, '[part="edit-button"]').click();
    await element.updateComplete;

    const log = shadow(element, '[part="log"]');
    assert.ok(shadow(element, '[part="editor"]'));
    assert.isAtMost(log.scrollWidth, log.clientWidth);
    assert.isAtMost(box(shadow(element, '[part="editor-send-button"]')).right, box(log).right);
  });

  it('fits 320 px inside a wide page with an open editor', async () => {
    const element = await conversation('a');
    element.style.width = '320px';

    shadow(element, '[part="edit-button"]').click();
    await element.updateComplete;

    const log = shadow(element, '[part="log"]');
    assert.isAtMost(log.scrollWidth, log.clientWidth);
  });

  it('fits tool call cards in 320 px: long arguments are cut, a long result wraps', async () => {
    await setViewport({width: 320, height: 640});
    const element = await chat('greeting');
    element.style.width = '320px';
    const long = {query: URL, words: CODE_LINE};
    element.messages = [
      {role: 'user', content: 'q'},
      {role: 'assistant', content: '', toolCalls: [{id: 'c', name: 'search_the_knowledge_base', arguments: JSON.stringify(long), input: long, state: 'done', result: {found: URL}}]},
    ];
    await element.updateComplete;

    shadow(element, '[part~="tool-call"] details').open = true;

    const log = shadow(element, '[part="log"]');
    const [argumentsLine, result] = [shadow(element, '.tool-arguments'), shadowAll(element, '[part~="tool-call"] pre')[1]];
    assert.isAtMost(log.scrollWidth, log.clientWidth, 'the log scrolls sideways');
    assert.isAbove(argumentsLine.scrollWidth, argumentsLine.clientWidth, 'the arguments are not cut');
    assert.isAtMost(result.scrollWidth, result.clientWidth, 'the result scrolls sideways');
  });

  it('stays no taller than the viewport, so the input stays on screen', async () => {
    await setViewport({width: 375, height: 300});
    const element = await chat('greeting');

    assert.isAtMost(box(element).height, 300);
    assert.isAtMost(box(shadow(element, '[part="input"]')).bottom - box(element).top, 300);
  });
});

describe('<chat-stream> touch targets', () => {
  it('makes the starter buttons and Send at least 24×24 px', async () => {
    const element = await chat('greeting', {attributes: 'starters=Hi|Help'});
    await element.updateComplete;

    assert.deepEqual(smallTargets(element, '[part$="button"]'), []);
  });

  it("makes a finished answer's controls at least 24×24 px: Copy on code, the actions", async () => {
    const element = await conversation('```js\nlet a = 1;\n```');

    assert.ok(shadow(element, '[part="copy-button"]'));
    assert.deepEqual(smallTargets(element, '[part$="button"]'), []);
  });

  it('makes Retry and Stop at least 24×24 px', async () => {
    const failed = await chat('http-500-json');
    const slow = await chat('slow', {params: {delay: '3000'}});
    await failed.send('hi');
    const sent = slow.send('hi');
    await slow.updateComplete;

    assert.ok(shadow(failed, '[part="retry-button"]'));
    assert.deepEqual(smallTargets(failed, '[part$="button"]'), []);
    assert.deepEqual(smallTargets(slow, '[part$="button"]'), []);
    slow.stop();
    await sent;
  });

  it("makes the editor's buttons at least 24×24 px", async () => {
    const element = await conversation('a');

    shadow(element, '[part="edit-button"]').click();
    await element.updateComplete;

    assert.lengthOf(shadowAll(element, '[part^="editor-"][part$="button"]'), 2);
    assert.deepEqual(smallTargets(element, '[part$="button"]'), []);
  });

  it("makes a tool call's Approve, Deny and the toggle of its details at least 24×24 px", async () => {
    const {element, stop} = await runningTool(true);

    assert.lengthOf(shadowAll(element, '[part^="tool-"][part$="button"]'), 2);
    assert.deepEqual(smallTargets(element, '[part$="button"], [part~="tool-call"] summary'), []);
    await stop();
  });

  it('keeps them 24×24 px with a small font', async () => {
    const element = await conversation('```js\nlet a = 1;\n```');

    element.style.setProperty('--chat-stream-font-size', '11px');

    assert.deepEqual(smallTargets(element, '[part$="button"]'), []);
  });
});

describe('<chat-stream> reasoning, right to left', () => {
  it('marks Arabic reasoning off at its start, the right', async () => {
    const element = await chat('greeting', {attributes: 'lang=ar'});
    element.messages = [
      {role: 'user', content: 'لماذا؟'},
      {role: 'assistant', content: 'لأن.', reasoning: 'دعني أفكر في السؤال.', reasoningMs: 3000},
    ];
    await element.updateComplete;

    const content = shadow(element, '[part="reasoning-content"]');
    assert.strictEqual(style(content).borderRightStyle, 'solid');
    assert.strictEqual(style(content).borderLeftStyle, 'none');
  });
});

describe('<chat-stream> with reduced motion', () => {
  it('keeps the waiting dots still', async () => {
    await emulateMedia({reducedMotion: 'reduce'});
    const element = await chat('slow', {params: {delay: '3000'}});

    const sent = element.send('hi');
    await waitFor(() => shadow(element, '.waiting'), 'the waiting indicator');

    for (const dot of shadowAll(element, '.waiting span')) assert.strictEqual(style(dot).animationName, 'none');
    element.stop();
    await sent;
  });

  it("keeps a running tool call's dot still", async () => {
    await emulateMedia({reducedMotion: 'reduce'});
    const {element, stop} = await runningTool();

    assert.strictEqual(style(shadow(element, '.tool-state'), '::before').animationName, 'none');
    await stop();
  });

  it('keeps the dot beside "Thinking…" still', async () => {
    await emulateMedia({reducedMotion: 'reduce'});
    const {element, stop} = await thinkingChat();

    assert.strictEqual(style(shadow(element, '[part="reasoning-summary"]'), '::after').animationName, 'none');
    await stop();
  });

  it("turns off a theme's transitions and smooth scrolling", async () => {
    await emulateMedia({reducedMotion: 'reduce'});
    const theme = document.head.appendChild(document.createElement('style'));
    theme.textContent = 'chat-stream::part(send-button) { transition: background 1s } chat-stream::part(log) { scroll-behavior: smooth }';
    const element = await chat('greeting');

    assert.strictEqual(style(shadow(element, '[part="send-button"]')).transitionDuration, '0s');
    assert.strictEqual(style(shadow(element, '[part="log"]')).scrollBehavior, 'auto');
    theme.remove();
  });
});

describe('<chat-stream> in forced colors', () => {
  it('keeps a border round each message, so who said what stays visible', async () => {
    const element = await conversation('a');

    forceColors(element);

    for (const message of shadowAll(element, '[part~="message"]')) {
      assert.strictEqual(style(message).borderTopStyle, 'solid');
      assert.isAtLeast(parseFloat(style(message).borderTopWidth), 1);
    }
  });

  it('draws the borders of the borderless action buttons', async () => {
    const element = await conversation('a');

    forceColors(element);

    const copy = shadow(element, '[part="copy-answer-button"]');
    assert.notStrictEqual(style(copy).borderTopColor, 'rgba(0, 0, 0, 0)');
    assert.strictEqual(style(copy.querySelector('svg')).stroke, style(copy).color);
  });

  it('draws the focus ring in Highlight', async () => {
    // Real focus is not for tests that share a browser window: the rule is read instead.
    const element = await chat('greeting');

    const rules = element.shadowRoot.adoptedStyleSheets.flatMap((sheet) => [...sheet.cssRules]).filter((rule) => rule instanceof CSSMediaRule && rule.conditionText.includes('forced-colors: active'));
    const focus = rules.flatMap((rule) => [...rule.cssRules]).find((rule) => rule.selectorText === ':focus-visible');

    assert.strictEqual(focus?.style.outlineColor.toLowerCase(), 'highlight');
  });

  it('draws the waiting dots in CanvasText', async () => {
    const element = await chat('slow', {params: {delay: '3000'}});
    const probe = document.body.appendChild(document.createElement('div'));
    probe.style.color = 'CanvasText';
    const sent = element.send('hi');
    await waitFor(() => shadow(element, '.waiting'), 'the waiting indicator');

    forceColors(element);

    const dot = shadow(element, '.waiting span');
    assert.strictEqual(style(dot).backgroundColor, style(probe).color);
    assert.strictEqual(style(dot).forcedColorAdjust, 'none');
    probe.remove();
    element.stop();
    await sent;
  });

  it('draws the dot beside "Thinking…" in CanvasText', async () => {
    const {element, stop} = await thinkingChat();
    const probe = document.body.appendChild(document.createElement('div'));
    probe.style.color = 'CanvasText';

    forceColors(element);

    const dot = style(shadow(element, '[part="reasoning-summary"]'), '::after');
    assert.strictEqual(dot.backgroundColor, style(probe).color);
    assert.strictEqual(dot.forcedColorAdjust, 'none');
    probe.remove();
    await stop();
  });

  it("draws a running tool call's dot in CanvasText", async () => {
    const {element, stop} = await runningTool();
    const probe = document.body.appendChild(document.createElement('div'));
    probe.style.color = 'CanvasText';

    forceColors(element);

    assert.strictEqual(style(shadow(element, '.tool-state'), '::before').backgroundColor, style(probe).color);
    probe.remove();
    await stop();
  });
});

describe('<chat-stream> errors', () => {
  it('draws no divider above an error when no text came before it', async () => {
    const element = await chat('http-500-json');

    await element.send('hi');
    await element.updateComplete;

    assert.strictEqual(style(shadow(element, '[part="error"]')).borderTopStyle, 'none');
  });

  it('draws a divider between partial text and the error after it', async () => {
    const element = await chat('stream-error-type');

    await element.send('hi');
    await element.updateComplete;

    assert.strictEqual(style(shadow(element, '[part="error"]')).borderTopStyle, 'solid');
  });
});

describe('<chat-stream> scroll regions', () => {
  before(async () => {
    if (!window.axe) {
      const script = document.head.appendChild(document.createElement('script'));
      script.src = '/node_modules/axe-core/axe.min.js';
      await new Promise((resolve, reject) => script.addEventListener('load', resolve) || script.addEventListener('error', reject));
    }
  });

  it('scrolls sideways only in code blocks and tables at 320 px', async () => {
    await setViewport({width: 320, height: 640});
    const element = await conversation();
    element.style.width = '320px';

    const {violations} = await window.axe.run(element, {runOnly: ['scrollable-region-focusable'], elementRef: true});

    // Until code blocks and tables are focusable, they are the only regions axe may name.
    const named = violations.flatMap(({nodes}) => nodes.map(({element: node}) => node));
    for (const node of named) assert.isTrue(node.matches('pre, .table'), `${node.tagName}.${node.className} is a scroll region`);
  });
});
