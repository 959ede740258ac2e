// The core in Node 20, imported as a consumer would: from the built package export.
import assert from 'node:assert/strict';
import {createServer} from 'node:http';
import {Worker} from 'node:worker_threads';
import {after, before, describe, it} from 'node:test';
import * as core from 'chat-stream/core';
import {handleScenario} from '../fixtures/server.js';
import {defineEventStreamSuite} from '../core/event-stream.suite.js';
import {defineStreamChatSuite} from '../core/stream-chat.suite.js';
import {defineChatSessionSuite} from '../core/chat-session.suite.js';
import {defineToolsSuite} from '../core/tools.suite.js';
import {defineAttachmentsSuite} from '../core/attachments.suite.js';
import {defineBackendsSuite} from '../core/backends.suite.js';
import {defineNetworkSuite} from '../core/network.suite.js';
import {defineFaultsSuite} from '../core/faults.suite.js';
import {defineReasoningSuite} from '../core/reasoning.suite.js';

const server = createServer(async (req, res) => {
  if (!(await handleScenario(req, res))) res.writeHead(404).end();
});
before(() => new Promise((resolve) => server.listen(0, '127.0.0.1', resolve)));
after(() => {
  server.closeAllConnections();
  server.close();
});
const origin = () => `http://127.0.0.1:${server.address().port}`;

// The fault-injection and property tests send some 40,000 requests: to a server on a thread of
// its own, which answers on the second core.
let faultsWorker;
let faultsOrigin;
before(async () => {
  faultsWorker = new Worker(new URL('../fixtures/server-thread.js', import.meta.url));
  faultsOrigin = await new Promise((resolve, reject) => faultsWorker.once('message', resolve).once('error', reject));
});
after(() => faultsWorker.terminate());

describe('chat-stream/core in Node', () => {
  it('runs without a DOM', () => {
    assert.strictEqual(typeof globalThis.document, 'undefined');
  });
  defineEventStreamSuite({describe, it, assert, core, origin});
  defineStreamChatSuite({describe, it, assert, core, origin});
  defineChatSessionSuite({describe, it, assert, core, origin});
  defineToolsSuite({describe, it, assert, core, origin});
  defineAttachmentsSuite({describe, it, assert, core, origin});
  defineBackendsSuite({describe, it, assert, core, origin});
  defineNetworkSuite({describe, it, assert, core, origin});
  defineReasoningSuite({describe, it, assert, core, origin});
  defineFaultsSuite({describe, it, assert, core, origin: () => faultsOrigin});
});
