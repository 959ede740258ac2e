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

  it('is due after 8 ms of continuous work', () => {
    const slice = new TimeSlice();

    busyFor(10);

    assert.isTrue(slice.due);
  });

  it('starts a new slice after an await that waited for the network', () => {
    const slice = new TimeSlice();
    busyFor(10);

    slice.resumed(performance.now() - 5);

    assert.isFalse(slice.due);
  });

  it('keeps counting after an await that resolved at once', () => {
    const slice = new TimeSlice();
    busyFor(10);

    slice.resumed(performance.now());

    assert.isTrue(slice.due);
  });
});
