// The core in Node 20, imported as a consumer would: from the built package export.
import assert from 'node:assert/strict';
import {createServer} from 'node:http';
import {after, before, describe, it} from 'node:test';
import * as core from 'chat-stream/core';
import {handleScenario} from '../fixtures/server.js';
import {defineEventStreamSuite} from '../core/event-stream.suite.js';
import {defineStreamChatSuite} from '../core/stream-chat.suite.js';
import {defineChatSessionSuite} from '../core/chat-session.suite.js';
import {defineBackendsSuite} from '../core/backends.suite.js';

const server = createServer(async (req, res) => {
  if (!(await handleScenario(req, res))) res.writeHead(404).end();
});
before(() => new Promise((resolve) => server.listen(0, '127.0.0.1', resolve)));
after(() => {
  server.closeAllConnections();
  server.close();
});
const origin = () => `http://127.0.0.1:${server.address().port}`;

describe('chat-stream/core in Node', () => {
  it('runs without a DOM', () => {
    assert.strictEqual(typeof globalThis.document, 'undefined');
  });
  defineEventStreamSuite({describe, it, assert, core, origin});
  defineStreamChatSuite({describe, it, assert, core, origin});
  defineChatSessionSuite({describe, it, assert, core, origin});
  defineBackendsSuite({describe, it, assert, core, origin});
});
