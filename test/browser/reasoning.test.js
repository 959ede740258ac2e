// <chat-stream>'s reasoning section: the model's thinking above its answer, streamed over real
// HTTP from the fixture server (reasoning fields, and <think> tags cut anywhere), folded when the
// answer begins, opened and closed by mouse and keyboard, and never in the answer's own text.
import {assert, oneEvent} from '@open-wc/testing';
import {sendKeys, sendMouse} from '@web/test-runner-commands';
import '../../src/chat-stream.ts';
import {fill} from '../../src/strings.ts';
import {THINK_ANSWER, THINK_REASONING, THINK_TAGGED} from '../fixtures/scenarios.js';
import {answerText, chat, endpoint, nextFrame, pause, shadow, shadowAll, waitFor} from './helpers.js';

// The reasoning as Markdown draws it: two paragraphs, whose text runs on.
const SHOWN_REASONING = THINK_REASONING.replace('\n\n', '');
// One think-tags event (a code point) a write, a write every `pace` ms: the model thinks for about 75 × pace.
const SLOW_THINKING = {split: 'every-128', pace: 30};

const section = (element) => shadowAll(element, '[part~="reasoning"]').at(-1);
const summary = (element) => section(element)?.querySelector('[part="reasoning-summary"]');
const summaryText = (element) => summary(element)?.textContent.trim().replace(/\s+/g, ' ');
const reasoningText = (element) => section(element)?.querySelector('[part="reasoning-content"]').textContent;
const partsOf = (element) => section(element)?.getAttribute('part').split(' ');
const thinking = (element) => waitFor(() => section(element)?.matches('[part~="thinking"]'), 'the model to think');

// The reasoning scenario with time to think between its first reasoning and its first text.
const PACED_REASONING = {split: 'every-40', pace: 50};

/**
 * Sends a question to `element` (on the `reasoning` scenario, paced) on a session whose clock the
 * test sets: the model thinks for `thinkingMs` by the core's clock, the `reasoningMs` the answer
 * gets. Resolves with the `done` event's detail.
 */
async function thinkFor(element, thinkingMs) {
  const clock = {at: 0};
  element.session = new element.session.constructor({timers: {now: () => clock.at}});
  const done = oneEvent(element, 'done');
  element.send('hi');
  await thinking(element);
  clock.at = thinkingMs;
  return (await done).detail;
}

/** Calls `check` on every animation frame and after every change to the element's DOM until `stop()`; resolves with what it returned that was not `undefined`. */
function everyFrame(element, check) {
  const seen = [];
  let frame = 0;
  const look = () => {
    const found = check();
    if (found !== undefined) seen.push(found);
  };
  const loop = () => {
    look();
    frame = requestAnimationFrame(loop);
  };
  const observer = new MutationObserver(look);
  observer.observe(element.shadowRoot, {subtree: true, childList: true, characterData: true, attributes: true});
  loop();
  return () => {
    cancelAnimationFrame(frame);
    observer.disconnect();
    return seen;
  };
}

/** Clicks the middle of `target` with the mouse. */
async function click(target) {
  const {x, y, width, height} = target.getBoundingClientRect();
  await sendMouse({type: 'click', position: [Math.round(x + width / 2), Math.round(y + height / 2)]});
  await sendMouse({type: 'move', position: [0, 0]});
}

describe('<chat-stream> reasoning: while the model thinks', () => {
  it('streams the reasoning into an open section that says "Thinking…"', async () => {
    const element = await chat('think-tags', {params: SLOW_THINKING});
    const done = oneEvent(element, 'done');

    element.send('hi');
    await waitFor(() => reasoningText(element)?.includes('greets me'), 'the reasoning to stream');

    assert.isTrue(section(element).open);
    assert.include(partsOf(element), 'thinking');
    assert.strictEqual(summaryText(element), 'Thinking…');
    assert.strictEqual(answerText(element), '');
    await done;
  });

  it('counts the seconds beside "Thinking…", writing them at most once a second', async () => {
    const element = await chat('think-tags', {params: {split: 'every-128', pace: 40}});
    const done = oneEvent(element, 'done');
    element.send('hi');
    await thinking(element);
    const time = summary(element).querySelector('.thinking-time');
    const writes = [];
    const observer = new MutationObserver(() => writes.push(time.textContent));
    observer.observe(time, {childList: true, characterData: true, subtree: true});

    await waitFor(() => time.textContent === '2 s', 'two seconds');
    observer.disconnect();

    assert.deepEqual(writes, ['1 s', '2 s']);
    assert.strictEqual(summaryText(element), 'Thinking… 2 s');
    assert.strictEqual(time.getAttribute('aria-hidden'), 'true');
    await done;
  });

  it('hides the waiting dots while the section says the model thinks', async () => {
    const element = await chat('think-tags', {params: SLOW_THINKING});
    const done = oneEvent(element, 'done');

    element.send('hi');
    await thinking(element);

    assert.strictEqual(getComputedStyle(shadow(element, '[part~="assistant"] .waiting')).display, 'none');
    await done;
  });
});

describe('<chat-stream> reasoning: once the answer begins', () => {
  it('folds the section on the first answer text, and says how long the model thought', async () => {
    const element = await chat('reasoning', {params: PACED_REASONING});

    const {reasoningMs} = await thinkFor(element, 12_400);

    assert.strictEqual(reasoningMs, 12_400);
    assert.isFalse(section(element).open);
    assert.include(partsOf(element), 'done');
    assert.strictEqual(summaryText(element), 'Thought for 12 seconds');
    assert.strictEqual(reasoningText(element), 'Think 思考');
    assert.strictEqual(answerText(element), 'Answer');
  });

  it('says "Thought for a few seconds" under two seconds', async () => {
    const element = await chat('reasoning', {params: PACED_REASONING});

    await thinkFor(element, 1_900);

    assert.strictEqual(summaryText(element), 'Thought for a few seconds');
  });

  it("writes the seconds with the locale's plural forms", () => {
    const written = (seconds) => new Intl.NumberFormat('ar').format(seconds);
    const arabic = 'فكّر لمدة {seconds, plural, zero {# ثانية} one {ثانية واحدة} two {ثانيتين} few {# ثوانٍ} many {# ثانية} other {# ثانية}}';

    assert.deepEqual(
      [2, 3, 11, 100].map((seconds) => fill(arabic, {seconds}, 'ar')),
      ['فكّر لمدة ثانيتين', `فكّر لمدة ${written(3)} ثوانٍ`, `فكّر لمدة ${written(11)} ثانية`, `فكّر لمدة ${written(100)} ثانية`],
    );
    assert.strictEqual(fill('{n, plural, =0 {none} one {# file} other {# files}} of {total}', {n: 0, total: 3}), 'none of 3');
  });

  it('says "Reasoning" for a saved answer whose thinking time is not known', async () => {
    const element = await chat('greeting');

    element.messages = [
      {role: 'user', content: 'hi'},
      {role: 'assistant', content: 'Hello', reasoning: 'Greet back.'},
    ];
    await element.updateComplete;

    assert.strictEqual(summaryText(element), 'Reasoning');
    assert.isFalse(section(element).open);
  });
});

describe('<chat-stream> reasoning: never in the answer', () => {
  // A leading <think>: neither a tag nor any of the reasoning is ever the answer's. Only the closing
  // tag: what came before it is the answer's until the tag arrives, but no tag ever shows.
  const LEADING = ['<', 'think>', 'greets me', '👋🏽'];
  const CASES = [
    {scenario: 'think-tags', split: 'hostile', inAnswer: LEADING},
    {scenario: 'think-tags', split: 'random-20', inAnswer: LEADING},
    {scenario: 'think-tags', split: 'random-7331', inAnswer: LEADING},
    {scenario: 'think-close-only', split: 'random-11', inAnswer: ['think>']},
  ];
  for (const {scenario, split, inAnswer} of CASES) {
    it(`never shows a think tag, in any frame, nor ${inAnswer.length > 1 ? 'the reasoning' : 'the reasoning once read'} in the answer (${scenario}, split=${split})`, async () => {
      const element = await chat(scenario, {params: {split, pace: 1}});
      const stop = everyFrame(element, () => {
        const shown = (part) => shadow(element, `[part~="assistant"] [part="${part}"]`)?.textContent ?? '';
        const answer = shown('content');
        const wrong = inAnswer.find((piece) => answer.includes(piece)) ?? (shown('reasoning-content').includes('think>') ? 'a tag in the reasoning' : undefined);
        return wrong ?? (shadow(element, '[part~="assistant"] think') ? 'a think element' : undefined);
      });

      await element.send('hi');
      await nextFrame();

      assert.deepEqual(stop(), []);
      assert.strictEqual(answerText(element), THINK_ANSWER);
      assert.strictEqual(reasoningText(element), SHOWN_REASONING);
    });
  }

  it('shows no section for empty reasoning (<think></think>)', async () => {
    const element = await chat('think-empty', {params: {split: 'hostile'}});

    await element.send('hi');

    assert.strictEqual(answerText(element), 'Hello');
    assert.isUndefined(section(element));
  });

  it('reads no tags with think-tags="off": they are the answer\'s text', async () => {
    const element = await chat('think-tags', {attributes: 'think-tags=off'});

    await element.send('hi');

    assert.strictEqual(element.messages[1].content, THINK_TAGGED);
    assert.strictEqual(answerText(element), THINK_TAGGED.replace(/\n/g, ''));
    assert.isUndefined(section(element));
    assert.isUndefined(element.messages[1].reasoning);
  });
});

describe('<chat-stream> reasoning: the reader opens and closes it', () => {
  it('opens and closes by mouse', async () => {
    const element = await chat('reasoning');
    await element.send('hi');

    await click(summary(element));
    const opened = section(element).open;
    await click(summary(element));

    assert.isTrue(opened);
    assert.isFalse(section(element).open);
  });

  it('opens and closes by keyboard, Enter and Space on the focused summary', async () => {
    const element = await chat('reasoning');
    await element.send('hi');
    summary(element).focus();

    await sendKeys({press: 'Enter'});
    const opened = section(element).open;
    await sendKeys({press: 'Space'});

    assert.isTrue(opened);
    assert.isFalse(section(element).open);
  });

  it('keeps it open when the reader opened it again while the model thought', async () => {
    const element = await chat('think-tags', {params: SLOW_THINKING});
    const done = oneEvent(element, 'done');
    element.send('hi');
    await thinking(element);

    summary(element).click();
    await pause(100);
    summary(element).click();
    await done;

    assert.isTrue(section(element).open);
    assert.match(summaryText(element), /^Thought for /);
  });

  it('keeps the reader\'s choice when the section is drawn anew', async () => {
    const element = await chat('reasoning');
    await element.send('hi');
    summary(element).click();
    await pause(50);

    const messages = element.messages;
    element.messages = [];
    await element.updateComplete;
    element.messages = messages;
    await element.updateComplete;

    assert.isTrue(section(element).open);
  });
});

describe('<chat-stream> reasoning attribute', () => {
  it('keeps every section open with reasoning="open"', async () => {
    const element = await chat('reasoning', {attributes: 'reasoning=open'});

    await element.send('hi');

    assert.isTrue(section(element).open);
    assert.strictEqual(summaryText(element), 'Thought for a few seconds');
  });

  it('shows no section with reasoning="hidden", and keeps the reasoning', async () => {
    const element = await chat('think-tags', {params: {split: 'random-3'}, attributes: 'reasoning=hidden'});
    const done = oneEvent(element, 'done');

    await element.send('hi');
    const {detail} = await done;

    assert.isUndefined(section(element));
    assert.strictEqual(answerText(element), THINK_ANSWER);
    assert.strictEqual(detail.reasoning, THINK_REASONING);
    assert.strictEqual(element.messages[1].reasoning, THINK_REASONING);
  });

  it('names a reasoning value it does not know in the console, and folds the section', async () => {
    const element = await chat('reasoning');
    const errors = [];
    const original = console.error;
    console.error = (message) => errors.push(String(message));
    try {
      element.setAttribute('reasoning', 'folded');
      await element.send('hi');
    } finally {
      console.error = original;
    }

    assert.deepEqual(errors, ['chat-stream: `reasoning` must be "collapsed", "open" or "hidden" (got "folded"); "collapsed" applies']);
    assert.isFalse(section(element).open);
  });
});

describe('<chat-stream> reasoning cut short', () => {
  it('keeps the reasoning of an answer stopped while the model thought, marked stopped', async () => {
    const element = await chat('think-tags', {params: SLOW_THINKING});
    const sent = element.send('hi');
    await waitFor(() => reasoningText(element)?.includes('greets'), 'some reasoning');

    element.stop();
    await sent;
    await element.updateComplete;

    assert.include(partsOf(element), 'stopped');
    assert.strictEqual(summaryText(element), 'Thinking stopped');
    assert.isTrue(section(element).open);
    assert.include(reasoningText(element), 'The user greets');
    assert.strictEqual(element.messages[1].reasoning, reasoningText(element));
    assert.strictEqual(shadow(element, '[part~="assistant"] [part="status"]').textContent.trim(), 'Stopped');
  });

  it('keeps the reasoning of an answer whose connection broke while the model thought, with the error', async () => {
    const element = await chat('reasoning', {params: {breakAt: 200}, attributes: 'resume-attempts=0'});

    await element.send('hi');
    await element.updateComplete;

    assert.strictEqual(summaryText(element), 'Thinking stopped');
    assert.strictEqual(reasoningText(element), 'Think ');
    assert.ok(shadow(element, '[part~="assistant"] [part="error"]'), 'the error shows');
  });
});

describe('<chat-stream> reasoning after a reload', () => {
  const frames = [];
  afterEach(() => {
    for (const frame of frames.splice(0)) frame.remove();
  });

  /** A page of its own that records every summary text its chat ever shows, from its first render. */
  async function openPage(attributes) {
    const frame = document.createElement('iframe');
    frame.srcdoc = `<!doctype html><chat-stream ${attributes}></chat-stream>
      <script>
        window.summaries = [];
        const record = (root) => () => root.querySelectorAll('[part="reasoning-summary"]').forEach((node) => summaries.push(node.textContent.trim()));
        const attach = Element.prototype.attachShadow;
        Element.prototype.attachShadow = function (init) {
          const root = attach.call(this, init);
          new MutationObserver(record(root)).observe(root, {subtree: true, childList: true, characterData: true});
          const everyFrame = () => (record(root)(), requestAnimationFrame(everyFrame));
          everyFrame();
          return root;
        };
      </script>
      <script type="module" src="/src/chat-stream.ts"></script>`;
    document.body.append(frame);
    frames.push(frame);
    await new Promise((resolve) => frame.addEventListener('load', resolve, {once: true}));
    return elementIn(frame);
  }

  async function elementIn(frame) {
    await frame.contentWindow.customElements.whenDefined('chat-stream');
    const element = frame.contentDocument.querySelector('chat-stream');
    await element.updateComplete;
    return element;
  }

  it('shows "Thought for N seconds", folded, with no "Thinking…" in any frame', async () => {
    const id = `reasoning-${Math.random().toString(36).slice(2)}`;
    const element = await openPage(`persist="local" conversation-id="${id}" endpoint="${endpoint('reasoning', PACED_REASONING)}" token="t"`);
    await thinkFor(element, 7_000);
    const [frame] = frames;

    const loaded = new Promise((resolve) => frame.addEventListener('load', resolve, {once: true}));
    frame.contentWindow.location.reload();
    await loaded;
    const restored = await elementIn(frame);
    await nextFrame();

    assert.strictEqual(summaryText(restored), 'Thought for 7 seconds');
    assert.isFalse(section(restored).open);
    assert.strictEqual(reasoningText(restored), 'Think 思考');
    assert.deepEqual([...new Set(frame.contentWindow.summaries)], ['Thought for 7 seconds']);
    localStorage.removeItem(`chat-stream:${id}`);
  });
});
