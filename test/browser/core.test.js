// The core in Chromium, from its TypeScript source, against web-test-runner's middleware.
import {assert} from '@open-wc/testing';
import * as core from '../../src/core/index.ts';
import {defineEventStreamSuite} from '../core/event-stream.suite.js';
import {defineStreamChatSuite} from '../core/stream-chat.suite.js';
import {defineChatSessionSuite} from '../core/chat-session.suite.js';
import {defineToolsSuite} from '../core/tools.suite.js';
import {defineBackendsSuite} from '../core/backends.suite.js';
import {defineNetworkSuite} from '../core/network.suite.js';
import {defineFaultsSuite} from '../core/faults.suite.js';
import {defineReasoningSuite} from '../core/reasoning.suite.js';
import {TimeSlice} from '../../src/core/time-slice.ts';

const origin = () => location.origin;
defineEventStreamSuite({describe, it, assert, core, origin});
defineStreamChatSuite({describe, it, assert, core, origin});
defineChatSessionSuite({describe, it, assert, core, origin});
defineToolsSuite({describe, it, assert, core, origin});
defineBackendsSuite({describe, it, assert, core, origin});
defineNetworkSuite({describe, it, assert, core, origin});
// Fewer random cuttings than in Node, and as many requests at once as a browser sends to one origin.
defineReasoningSuite({describe, it, assert, core, origin, cases: {randomCuts: 20, parallel: 6}});
// Fewer cases than in Node (test/node/core.test.js runs them all): a browser sends 6 requests at
// a time to one origin, and the fixtures' full counts would take minutes here. Only clean ends:
// at a reset Chromium drops the bytes it has not yet handed to the page, and a busy page may not
// have taken them within the 30 ms the server waits, so the break would not be where it was drawn.
defineFaultsSuite({describe, it, assert, core, origin, cases: {faults: 10, early: 4, chunkings: 5, parallel: 6, breakModes: ['end']}});

describe('TimeSlice (where pages render)', () => {
  const busyFor = (ms) => {
    const until = performance.now() + ms;
    while (performance.now() < until);
  };
  const anotherTask = () => new Promise((resolve) => setTimeout(resolve, 20));

  it('is due after 8 ms of continuous work', () => {
    const slice = new TimeSlice();

    busyFor(10);

    assert.isTrue(slice.due);
  });

  it('is due after 8 ms of work chained through microtasks', async () => {
    const slice = new TimeSlice();

    for (let i = 0; i < 10; i++) {
      busyFor(1);
      await Promise.resolve();
    }

    assert.isTrue(slice.due);
  });

  it('starts a new slice instead when another task ran in between', async () => {
    const slice = new TimeSlice();
    busyFor(10);

    await anotherTask();

    assert.isFalse(slice.due);
  });

  /** Counts the timers and messages posted while `act` runs: the ways a marker can be posted. */
  const countPosts = async (act) => {
    const setTimeoutBefore = window.setTimeout;
    const postMessageBefore = MessagePort.prototype.postMessage;
    let posts = 0;
    window.setTimeout = (...args) => (posts++, setTimeoutBefore(...args));
    MessagePort.prototype.postMessage = function (...args) {
      posts++;
      return postMessageBefore.apply(this, args);
    };
    try {
      await act();
    } finally {
      window.setTimeout = setTimeoutBefore;
      MessagePort.prototype.postMessage = postMessageBefore;
    }
    return posts;
  };

  it('posts no marker for a new slice until that slice is 8 ms old', async () => {
    const slice = new TimeSlice();
    busyFor(10);
    await anotherTask();

    const postsAtStart = await countPosts(() => assert.isFalse(slice.due));
    busyFor(10);
    const postsWhenOld = await countPosts(() => assert.isFalse(slice.due, 'due without knowing whether a task ran'));

    assert.strictEqual(postsAtStart, 0, 'a marker was posted at the start of the new slice');
    assert.strictEqual(postsWhenOld, 1);
  });

  it('gives a marker posted after a steady spell 8 ms to fire before it is due', async () => {
    const slice = new TimeSlice();
    busyFor(10);
    await anotherTask();
    assert.isFalse(slice.due);
    busyFor(10);
    assert.isFalse(slice.due);

    const dueAtOnce = slice.due;
    busyFor(10);

    assert.isFalse(dueAtOnce, 'due before its marker could fire');
    assert.isTrue(slice.due, 'not due although no task ran since the marker');
  });

  it('does not yield while reading a stream paced by nested timers', async () => {
    const encoder = new TextEncoder();
    let controller;
    const body = new ReadableStream({start: (c) => void (controller = c)});
    // Each chunk comes from a timer set by the previous one: past 5 levels they wait 4 ms.
    let sent = 0;
    const sendNext = () => {
      if (sent++ === 60) return controller.close();
      controller.enqueue(encoder.encode(`data: ${sent}\n\n`));
      setTimeout(sendNext, 2);
    };
    setTimeout(sendNext, 2);
    const yieldBefore = TimeSlice.prototype.yield;
    let yields = 0;
    TimeSlice.prototype.yield = function () {
      yields++;
      return yieldBefore.call(this);
    };
    let read = 0;
    try {
      for await (const event of core.readEventStream(body)) read += event.data ? 1 : 0;
    } finally {
      TimeSlice.prototype.yield = yieldBefore;
    }

    assert.strictEqual(read, 60);
    // Not strictly 0: a machine that stalls for 8 ms between two chunks may earn a yield.
    assert.isAtMost(yields, 2);
  });

  it('yields through a message while the page is hidden, whose timers are throttled', async () => {
    const slice = new TimeSlice();
    const setTimeoutBefore = window.setTimeout;
    const heldTimers = [];
    window.setTimeout = (callback) => (heldTimers.push(callback), 0);
    Object.defineProperty(document, 'hidden', {value: true, configurable: true});
    let outcome;
    try {
      outcome = await Promise.race([
        slice.yield().then(() => 'yielded'),
        new Promise((resolve) => setTimeoutBefore(() => resolve('waited for a timer'), 500)),
      ]);
    } finally {
      delete document.hidden;
      window.setTimeout = setTimeoutBefore;
      // The held timers include a marker: fire them, or later slices would wait for it.
      for (const callback of heldTimers) callback();
    }

    assert.strictEqual(outcome, 'yielded');
  });

  it('lets other tasks run while a computing stream floods the reader', async () => {
    const encoder = new TextEncoder();
    let sent = 0;
    // Every read costs 1.5 ms of main-thread work and resolves without waiting for a task.
    const body = new ReadableStream({
      pull(controller) {
        busyFor(1.5);
        if (sent++ < 100) controller.enqueue(encoder.encode(`data: ${sent}\n\n`));
        else controller.close();
      },
    });
    let read = 0;
    let readWhenTimerRan = null;
    setTimeout(() => (readWhenTimerRan = read), 0);

    for await (const event of core.readEventStream(body)) read += event.data ? 1 : 0;

    assert.strictEqual(read, 100);
    assert.isNotNull(readWhenTimerRan, 'the timer never ran while the stream was read');
    assert.isBelow(readWhenTimerRan, 20);
  });
});
