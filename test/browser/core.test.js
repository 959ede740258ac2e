// The core in Chromium, from its TypeScript source, against web-test-runner's middleware.
import {assert} from '@open-wc/testing';
import * as core from '../../src/core/index.ts';
import {defineEventStreamSuite} from '../core/event-stream.suite.js';
import {defineStreamChatSuite} from '../core/stream-chat.suite.js';

const origin = () => location.origin;
defineEventStreamSuite({describe, it, assert, core, origin});
defineStreamChatSuite({describe, it, assert, core, origin});
