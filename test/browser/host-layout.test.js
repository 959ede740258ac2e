// Whatever the page's CSS does to <chat-stream> (its display, its height, the layout it sits in),
// the input stays in sight and the log is the one thing that scrolls.
import {assert, fixture} from '@open-wc/testing';
import {setViewport} from '@web/test-runner-commands';
import '../../src/chat-stream.ts';
import {nextFrame, shadow, shadowAll, waitFor} from './helpers.js';

const VIEWPORT = {width: 800, height: 600};
/** 32rem, with the page's 16 px rem. */
const DEFAULT_HEIGHT = 32 * 16;
/** 60 questions and answers: far taller than any of the layouts below. */
const LONG_CONVERSATION = Array.from({length: 60}, (_, index) => [
  {role: 'user', content: `Question ${index + 1}`},
  {role: 'assistant', content: `Answer ${index + 1}`},
]).flat();

/**
 * A <chat-stream> placed by `markup` (a `.page` with the element somewhere inside, styled by
 * `css`), showing a long conversation.
 */
async function placed(css, markup = '<chat-stream></chat-stream>') {
  const page = await fixture(`<div class="page"><style>${css}</style>${markup}</div>`);
  const element = page.querySelector('chat-stream');
  element.messages = LONG_CONVERSATION;
  await element.updateComplete;
  await waitFor(() => shadowAll(element, '[part~="message"]').length === LONG_CONVERSATION.length, 'the conversation to render');
  // The log follows the newest message after the browser's layout (a ResizeObserver).
  await nextFrame();
  await nextFrame();
  return element;
}

const box = (node) => node.getBoundingClientRect();
const within = (inner, outer) => inner.top >= outer.top - 0.5 && inner.bottom <= outer.bottom + 0.5 && inner.left >= outer.left - 0.5 && inner.right <= outer.right + 0.5;
const VIEW = () => ({top: 0, left: 0, bottom: innerHeight, right: innerWidth});

/** The boxes between the log and the page, from the log's parent up to the element itself. */
function aroundTheLog(element) {
  const boxes = [];
  for (let node = shadow(element, '[part="log"]').parentElement; node; node = node.parentElement) boxes.push(node);
  return [...boxes, element];
}

/** Asserts that the input and Send are inside the element and in sight. */
function assertInputInSight(element) {
  const [input, send] = [shadow(element, '[part="input"]'), shadow(element, '[part="send-button"]')].map(box);
  assert.isTrue(within(input, box(element)), 'the input is outside the element');
  assert.isTrue(within(send, box(element)), 'Send is outside the element');
  assert.isTrue(within(input, VIEW()), 'the input is out of sight');
  assert.isTrue(within(send, VIEW()), 'Send is out of sight');
}

/** Asserts that the log scrolls, and is scrolled to the newest message. */
function assertLogScrollsToNewest(element) {
  const log = shadow(element, '[part="log"]');
  assert.isAbove(log.scrollHeight, log.clientHeight, 'the log does not scroll');
  assert.isAtMost(log.scrollHeight - log.scrollTop - log.clientHeight, 1, 'the log is not at the newest message');
  assert.isTrue(within(box(shadowAll(element, '[part~="message"]').at(-1)), box(log)), 'the newest message is out of sight');
}

/** Asserts what every layout of a definite height gives: the element `height` px tall, the input in sight, the log the one box that scrolls, at the newest message. */
function assertUsable(element, height) {
  assert.closeTo(box(element).height, height, 1, 'the element is not as tall as the page made it');
  assertInputInSight(element);
  assertLogScrollsToNewest(element);
  for (const node of aroundTheLog(element)) assert.isAtMost(node.scrollHeight, node.clientHeight, `${node.localName}.${node.className} overflows`);
}

/** An 80 px header above the element, in a flex column 480 px tall. */
const FLEX_COLUMN = '<div class="column"><header></header><chat-stream></chat-stream></div>';
const FLEX_COLUMN_CSS = '.column { display: flex; flex-direction: column; height: 480px } .column header { height: 80px }';

/** What a page does to the element, and the height that gives it. */
const LAYOUTS = [
  {test: 'fills `display: block; height: 100vh`', css: '.page chat-stream { display: block; height: 100vh }', height: VIEWPORT.height},
  {test: 'fills `display: grid` with a height', css: '.page chat-stream { display: grid; height: 420px }', height: 420},
  {test: 'fills `height: 400px`', css: '.page chat-stream { height: 400px }', height: 400},
  {test: 'keeps its own height under `display: inline-block`', css: '.page chat-stream { display: inline-block }', height: DEFAULT_HEIGHT},
  {test: 'keeps its own height with no CSS from the page', css: '', height: DEFAULT_HEIGHT},
  {
    test: 'fills what a flex column of fixed height leaves it under `flex: 1`',
    css: `${FLEX_COLUMN_CSS} .page chat-stream { display: block; flex: 1 }`,
    markup: FLEX_COLUMN,
    height: 400,
  },
  {
    test: 'fills what a flex column of fixed height leaves it under `flex: 1; min-height: 0`',
    css: `${FLEX_COLUMN_CSS} .page chat-stream { display: block; flex: 1; min-height: 0 }`,
    markup: FLEX_COLUMN,
    height: 400,
  },
  {
    test: 'fills a fixed row of a grid under `height: auto`',
    css: '.grid { display: grid; grid-template-rows: 60px 360px } .page chat-stream { display: block; height: auto }',
    markup: '<div class="grid"><header></header><chat-stream></chat-stream></div>',
    height: 360,
  },
];

before(() => setViewport(VIEWPORT));

describe('<chat-stream> sized by the page', () => {
  for (const {test, css, markup, height} of LAYOUTS) {
    it(test, async () => {
      const element = await placed(css, markup);
      element.scrollIntoView({block: 'start'});

      assertUsable(element, height);
    });
  }

  it('grows no taller than the viewport under `display: block` in a flex column of no set height', async () => {
    const element = await placed(
      '.column { display: flex; flex-direction: column; min-height: 300px } .page chat-stream { display: block; flex: 1 }',
      '<div class="column"><chat-stream></chat-stream></div>',
    );
    element.scrollIntoView({block: 'start'});

    assertInputInSight(element);
    assertLogScrollsToNewest(element);
    assert.isAtMost(box(element).height, innerHeight);
  });

  it('lays the drop target over the whole element under `display: block`', async () => {
    const element = await placed('.page chat-stream { display: block; height: 400px }');
    const target = shadow(element, '[part="drop-target"]');

    target.hidden = false;

    const [outer, inner] = [box(element), box(target)];
    const {clientTop: border} = element;
    assert.deepEqual([inner.top, inner.right, inner.bottom, inner.left], [outer.top + border, outer.right - border, outer.bottom - border, outer.left + border]);
  });
});
