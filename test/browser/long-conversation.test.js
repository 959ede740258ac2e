// <chat-stream> with a long conversation (test/fixtures/long-conversation.js: 400 and 1,000
// question/answer pairs of realistic Markdown): restored through `messages` and through a real
// reload with `persist="local"`, its newest messages are on screen at once, the rest follows in
// slices without a long task, and appending leaves the older messages alone. The limits are the
// issue's (150 ms to the newest answer, no task over 50 ms), watched with the longtask observer,
// on the element as it ships: the single-file bundle (built by `npm test` first), whose lit is
// not in development mode.
import {assert, oneEvent} from '@open-wc/testing';
import '../../dist/chat-stream.bundle.js';
import {allShown, frameWhen, longConversation, newestShown, storedConversation} from '../fixtures/long-conversation.js';
import {chat, nextFrame, pause, shadow, shadowAll} from './helpers.js';

/** How long the newest answer may take to be on screen, and the longest task allowed. */
const ON_SCREEN_MS = 150;
const LONG_TASK_MS = 50;
/** How long the whole conversation may take to be in the page: "a few seconds", with room for a busy test machine. */
const ALL_MS = 20000;

/** Watches the tasks over 50 ms from now on; `stop()` resolves with their durations. */
function watchLongTasks() {
  const tasks = [];
  const observer = new PerformanceObserver((list) => tasks.push(...list.getEntries()));
  observer.observe({type: 'longtask'});
  return {
    async stop() {
      // An entry is reported after its task ends.
      await pause(100);
      tasks.push(...observer.takeRecords());
      observer.disconnect();
      return tasks.map((task) => Math.round(task.duration));
    },
  };
}

/** The message at the middle of the log (or just under it, past the gap between two messages). */
function messageAtMiddle(element) {
  const {left, top, width, height} = shadow(element, '[part="log"]').getBoundingClientRect();
  for (let y = top + height / 2; y < top + height; y += 8) {
    const message = element.shadowRoot.elementFromPoint(left + width / 2, y)?.closest('[part~="message"]');
    if (message) return message;
  }
  return assert.fail('no message in the lower half of the log');
}

/** Waits for the page to be idle a while: the garbage earlier tests left is collected in idle time, not during a measurement. */
const settled = () => pause(1000);

/** Resolves once every message of `element` is in the page. */
async function allRendered(element, view = window) {
  const count = element.messages.length;
  assert.isNotNull(await frameWhen(() => allShown(element, count), ALL_MS, view), `all ${count} messages in the page within ${ALL_MS} ms`);
}

/**
 * A page of its own (an iframe) that watches its long tasks from the start, and whose module
 * mounts a <chat-stream persist="local"> once it is defined, noting when. Its first load mounts
 * it on another conversation, an empty one: the stored conversation is read only after a reload,
 * so no first document of 150,000 nodes is being torn down and collected while it is measured.
 */
async function persistedPage(id) {
  const frame = document.createElement('iframe');
  frame.style.cssText = 'width: 800px; height: 700px';
  frame.srcdoc = `<!doctype html><body><script>
    window.longTasks = [];
    new PerformanceObserver((list) => longTasks.push(...list.getEntries())).observe({type: 'longtask', buffered: true});
  </script><script type="module">
    import '/dist/chat-stream.bundle.js';
    await customElements.whenDefined('chat-stream');
    const conversation = window.name === 'reloaded' ? '${id}' : '${id}-first-load';
    window.name = 'reloaded';
    window.mounted = performance.now();
    const element = document.createElement('chat-stream');
    element.setAttribute('persist', 'local');
    element.setAttribute('conversation-id', conversation);
    element.style.setProperty('--chat-stream-height', '600px');
    document.body.append(element);
  </script>`;
  document.body.append(frame);
  await mountedIn(frame);
  return frame;
}

/** Resolves with the window of the page in `frame` once its element is mounted. */
async function mountedIn(frame) {
  await new Promise((resolve) => frame.addEventListener('load', resolve, {once: true}));
  const view = frame.contentWindow;
  while (view.mounted === undefined) await pause(5);
  return view;
}

/** The durations of the long tasks of the page in `view` since its element was mounted. */
async function longTasksSinceMount(view) {
  await pause(100);
  return view.longTasks.filter((task) => task.startTime + task.duration > view.mounted).map((task) => Math.round(task.duration));
}

describe('<chat-stream> with a long conversation', function () {
  // The limits are the (50 ms, 150 ms) on a 2-core machine, where one task in a few runs
  // can double for reasons outside the page (the test server, the OS). Each attempt is held to
  // the same limits, so a real regression still fails every attempt.
  this.retries(2);
  for (const pairs of [400, 1000]) {
    it(`shows the newest of ${pairs} pairs set through messages within ${ON_SCREEN_MS} ms, scrolled to the end, with no task over ${LONG_TASK_MS} ms`, async () => {
      const element = await chat('greeting');
      const conversation = longConversation(pairs);
      await nextFrame();
      const watch = watchLongTasks();

      const start = performance.now();
      element.messages = conversation;
      const shown = await frameWhen(() => newestShown(element), 5000);
      await allRendered(element);

      assert.isNotNull(shown, 'the newest answer on screen, scrolled to the end');
      assert.isAtMost(shown - start, ON_SCREEN_MS);
      assert.deepEqual(await watch.stop(), []);
    });

    it(`shows the newest of ${pairs} pairs restored by a reload with persist="local" within ${ON_SCREEN_MS} ms of the mount, with no task over ${LONG_TASK_MS} ms`, async () => {
      const id = `long-${pairs}-${Math.random().toString(36).slice(2, 8)}`;
      localStorage.setItem(`chat-stream:${id}`, storedConversation(pairs));
      const frame = await persistedPage(id);

      try {
        const reloaded = mountedIn(frame);
        frame.contentWindow.location.reload();
        const view = await reloaded;
        const element = view.document.querySelector('chat-stream');
        const shown = await frameWhen(() => newestShown(element), 5000, view);
        await allRendered(element, view);

        assert.lengthOf(element.messages, pairs * 2);
        assert.isNotNull(shown, 'the newest answer on screen, scrolled to the end');
        assert.isAtMost(shown - view.mounted, ON_SCREEN_MS);
        assert.deepEqual(await longTasksSinceMount(view), []);
      } finally {
        frame.remove();
        localStorage.removeItem(`chat-stream:${id}`);
      }
    });
  }

  it(`shows the newest of 1000 pairs read through a storage adapter within ${ON_SCREEN_MS} ms of the read, with no task over ${LONG_TASK_MS} ms`, async () => {
    const element = await chat('greeting');
    const stored = JSON.parse(storedConversation(1000));
    let read;
    const storage = {load: () => new Promise((resolve) => (read = () => resolve(stored))), save() {}};
    element.storage = storage;
    await element.updateComplete;
    await nextFrame();
    const watch = watchLongTasks();

    const start = performance.now();
    read();
    const shown = await frameWhen(() => newestShown(element), 5000);
    await allRendered(element);

    assert.isNotNull(shown, 'the newest answer on screen, scrolled to the end');
    assert.isAtMost(shown - start, ON_SCREEN_MS);
    assert.deepEqual(await watch.stop(), []);
  });

  it('reads back exactly the messages set, at once, before they are all rendered', async () => {
    const element = await chat('greeting');
    const given = longConversation(1000).map((message, index) => ({...message, id: `m${index}`, status: 'done', createdAt: index}));

    element.messages = given;
    const atOnce = structuredClone(element.messages);
    await element.updateComplete;
    const rendered = shadowAll(element, '[part~="message"]').length;

    assert.deepEqual(atOnce, given);
    assert.isBelow(rendered, given.length, 'older messages are still to be rendered');
    assert.deepEqual(element.messages, given);
  });

  it('puts the whole conversation in the page once the slices finish, the first message first', async () => {
    const element = await chat('greeting');
    const conversation = longConversation(1000);

    element.messages = conversation;
    await allRendered(element);

    const messages = shadowAll(element, '[part~="message"]');
    assert.lengthOf(messages, conversation.length);
    assert.strictEqual(messages[0].querySelector('[part="content"]').textContent, conversation[0].content);
    assert.strictEqual(messages[1].querySelector('[part="content"] h2').textContent, 'Step 1: retries');
    // Find in page reaches it, though it was never on screen.
    assert.isTrue(window.find('retries for step 1?'));
    assert.isTrue(messages[0].contains(element.shadowRoot.getSelection().anchorNode));
  });

  it('keeps the message in view where it is while older ones are rendered above it', async () => {
    const element = await chat('greeting');
    element.messages = longConversation(1000);
    const log = shadow(element, '[part="log"]');
    await frameWhen(() => shadowAll(element, '[part~="message"]').length > 100, ALL_MS);
    log.scrollTop = log.scrollHeight / 2;
    await oneEvent(log, 'scroll');
    await nextFrame();
    await nextFrame();
    const read = messageAtMiddle(element);
    const before = read.getBoundingClientRect().top;
    const renderedThen = shadowAll(element, '[part~="message"]').length;

    await allRendered(element);

    assert.isBelow(renderedThen, 2000, 'older messages were still to be rendered above it');
    assert.closeTo(read.getBoundingClientRect().top, before, 1);
  });

  it('scrolls from the end to the top without a jump or a task over 50 ms', async () => {
    const element = await chat('greeting');
    element.messages = longConversation(400);
    await allRendered(element);
    await settled();
    const log = shadow(element, '[part="log"]');
    const watch = watchLongTasks();
    const jumps = [];

    for (let steps = 0; log.scrollTop > 0 && steps < 2000; steps++) {
      log.scrollTop -= log.clientHeight;
      const read = messageAtMiddle(element);
      const before = read.getBoundingClientRect().top;
      await nextFrame();
      await nextFrame();
      if (Math.abs(read.getBoundingClientRect().top - before) > 1) jumps.push(read.dataset.id);
    }

    assert.strictEqual(log.scrollTop, 0);
    assert.deepEqual(jumps, [], 'messages that moved as the ones above them were drawn');
    assert.deepEqual(await watch.stop(), []);
    const first = shadowAll(element, '[part~="message"]')[0];
    assert.isAtLeast(first.getBoundingClientRect().top, log.getBoundingClientRect().top);
  });

  it('sends a question after 1,000 pairs with no task over 50 ms', async () => {
    // An answer in ASCII: the first Chinese or emoji a page draws sets its fallback fonts up
    // (20–30 ms of layout), however long the conversation.
    const element = await chat('lines');
    element.messages = longConversation(1000);
    await allRendered(element);
    await settled();
    const watch = watchLongTasks();

    const result = await element.send('One more?');

    assert.strictEqual(result.status, 'done');
    assert.deepEqual(await watch.stop(), []);
  });

  it('leaves the older messages’ nodes alone when a question and its answer are appended', async () => {
    const element = await chat('greeting');
    element.messages = longConversation(400);
    await allRendered(element);
    // Appended after a pair appended before, as well as after the restored ones.
    await element.send('And one more?');
    const older = shadowAll(element, '[part~="message"]');
    const texts = older.map((message) => [...message.querySelector('[part="content"]').childNodes]);

    await element.send('One more?');
    await element.updateComplete;

    const now = shadowAll(element, '[part~="message"]');
    assert.lengthOf(now, older.length + 2);
    assert.isTrue(
      older.every((message, index) => now[index] === message),
      'each older message is the same node',
    );
    assert.isTrue(
      texts.every((nodes, index) => nodes.every((node, at) => older[index].querySelector('[part="content"]').childNodes[at] === node)),
      'each older message’s text is the same nodes',
    );
  });
});
