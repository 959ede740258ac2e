// The core in Chromium, from its TypeScript source, against web-test-runner's middleware.
import {assert} from '@open-wc/testing';
import * as core from '../../src/core/index.ts';
import {defineEventStreamSuite} from '../core/event-stream.suite.js';
import {defineStreamChatSuite} from '../core/stream-chat.suite.js';
import {TimeSlice} from '../../src/core/time-slice.ts';

const origin = () => location.origin;
defineEventStreamSuite({describe, it, assert, core, origin});
defineStreamChatSuite({describe, it, assert, core, origin});

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

  it('posts no marker for a new slice until that slice is 8 ms old', async () => {
    const slice = new TimeSlice();
    busyFor(10);
    await anotherTask();
    const timers = [];
    const setTimeoutBefore = window.setTimeout;
    window.setTimeout = (...args) => (timers.push(args), setTimeoutBefore(...args));
    try {
      const dueAfterTask = slice.due;
      const timersAfterTask = timers.length;
      busyFor(10);
      const dueWhenArmed = slice.due;

      assert.isFalse(dueAfterTask);
      assert.strictEqual(timersAfterTask, 0, 'a marker was posted at the start of the new slice');
      assert.isFalse(dueWhenArmed, 'due without knowing whether a task ran');
      assert.strictEqual(timers.length, 1);
      assert.isTrue(slice.due, 'not due although no task ran since the marker');
    } finally {
      window.setTimeout = setTimeoutBefore;
    }
  });

  it('is never due while the page is hidden', () => {
    const slice = new TimeSlice();
    Object.defineProperty(document, 'hidden', {value: true, configurable: true});
    try {
      busyFor(10);

      assert.isFalse(slice.due);
    } finally {
      delete document.hidden;
    }
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
