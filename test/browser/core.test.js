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
