// <chat-stream> on a network that fails, against the fixture server's faults: the attributes
// that set how its session copes, the note and the announcement while a request waits to be
// sent again, and what the reader is told when an answer timed out or the browser is offline.
import {assert, oneEvent} from '@open-wc/testing';
import '../../src/chat-stream.ts';
import {ChatSession} from '../../src/core/index.ts';
import {announcements, answerText, chat, newProbe, readProbe, shadow, shadowAll, waitFor} from './helpers.js';

/** A clock whose waits never end: a retry's wait lasts until the test stops the answer. */
const FROZEN = {setTimeout: () => 0, clearTimeout: () => {}};

const statusText = (element) => shadow(element, '[part~="assistant"] [part="status"]')?.textContent.trim();
const errorText = (element) => shadow(element, '[part="error"]')?.textContent.trim();
// A count, not the button: a failed assertion that holds an element never finishes reporting.
const retryButtons = (element) => shadowAll(element, '[part="retry-button"]').length;

/** Sends `hi` on a session whose waits never end; resolves with the send's promise and the element's first `retry`, whose listener saw the status line as the event left the element. */
async function sendUntilRetry(element) {
  await element.session.configure({timers: FROZEN});
  let status;
  const retried = oneEvent(element, 'retry');
  element.addEventListener('retry', () => (status = statusText(element)), {once: true});
  const sent = element.send('hi');
  const {detail} = await retried;
  return {sent, detail, status};
}

describe('<chat-stream> network attributes', () => {
  it("sets the session's retries and resume attempts, and its timeouts in milliseconds from seconds", async () => {
    const element = await chat('greeting', {attributes: 'retries=5 first-byte-timeout=1.5 idle-timeout=30 resume-attempts=0'});

    await element.updateComplete;

    const {retries, firstByteTimeout, idleTimeout, resumeAttempts} = element.session.options;
    assert.deepEqual({retries, firstByteTimeout, idleTimeout, resumeAttempts}, {retries: 5, firstByteTimeout: 1500, idleTimeout: 30000, resumeAttempts: 0});
  });

  it('names a network attribute that is no count in the console and leaves its default', async () => {
    const logged = [];
    const original = console.error;
    console.error = (message) => logged.push(String(message));
    try {
      const element = await chat('greeting', {attributes: 'retries=abc idle-timeout=-5'});
      await element.updateComplete;

      assert.deepEqual([element.session.options.retries, element.session.options.idleTimeout], [undefined, undefined]);
    } finally {
      console.error = original;
    }
    assert.strictEqual(logged.filter((message) => /`retries` must be a whole number|`idleTimeout` must be a number of seconds/.test(message)).length, 2);
  });

  it('gives the session back its default timeouts when their attributes are removed', async () => {
    const element = await chat('greeting', {attributes: 'first-byte-timeout=0 idle-timeout=0'});
    await element.updateComplete;

    element.removeAttribute('first-byte-timeout');
    element.removeAttribute('idle-timeout');
    await element.updateComplete;

    assert.deepEqual([element.session.options.firstByteTimeout, element.session.options.idleTimeout], [undefined, undefined]);
  });

  it('retries again by default once the retries attribute is removed', async () => {
    const probe = newProbe();
    const element = await chat('greeting', {params: {probe, fail: 1, retryAfter: 0}, attributes: 'retries=0'});
    await element.updateComplete;

    element.removeAttribute('retries');
    const result = await element.send('hi');

    assert.deepEqual([result.status, (await readProbe(probe)).requests], ['done', 2]);
  });

  it("leaves an assigned session's own network options alone while the attributes are not set", async () => {
    const element = await chat('greeting');
    const session = new ChatSession({retries: 0, firstByteTimeout: 1234, idleTimeout: 0, resumeAttempts: 3});

    element.session = session;
    await element.send('hi');

    const {retries, firstByteTimeout, idleTimeout, resumeAttempts} = session.options;
    assert.deepEqual({retries, firstByteTimeout, idleTimeout, resumeAttempts}, {retries: 0, firstByteTimeout: 1234, idleTimeout: 0, resumeAttempts: 3});
  });

  it('sends the token getToken gives', async () => {
    const probe = newProbe();
    const element = await chat('greeting', {params: {probe}, token: ''});

    element.getToken = async () => 'fresh-token';
    await element.send('hi');

    assert.strictEqual((await readProbe(probe)).headers.authorization, 'Bearer fresh-token');
  });
});

describe('<chat-stream> while a request waits to be sent again', () => {
  it('fires retry with the wait, for the answer waiting', async () => {
    const element = await chat('greeting', {params: {fail: 1, retryAfter: 3}});

    const {sent, detail} = await sendUntilRetry(element);

    assert.deepInclude(detail, {messageId: element.messages.at(-1).id, resume: false, attempt: 1, attempts: 2, delay: 3000});
    element.stop();
    await sent;
  });

  it('shows the wait under the answer', async () => {
    const element = await chat('greeting', {params: {fail: 1, retryAfter: 3}});

    const {sent, status} = await sendUntilRetry(element);

    assert.strictEqual(status, 'Connection failed. Retrying in 3 s (attempt 1 of 2)…');
    element.stop();
    await sent;
  });

  it('announces the wait once', async () => {
    const element = await chat('greeting', {params: {fail: 1, retryAfter: 3}});
    let sent;

    const said = await announcements(element, async () => ({sent} = await sendUntilRetry(element)));

    assert.deepEqual(said, ['Connection failed. Retrying in 3 s (attempt 1 of 2)…']);
    element.stop();
    await sent;
  });

  it('ends the answer as stopped, without the note, when Stop cancels the wait', async () => {
    const element = await chat('greeting', {params: {fail: 1, retryAfter: 3}});
    const {sent} = await sendUntilRetry(element);

    shadow(element, '[part="send-button"]').click();
    await sent;
    await element.updateComplete;

    assert.deepEqual([element.messages.at(-1).status, statusText(element)], ['stopped', 'Stopped']);
  });

  it("takes the note away once the answer's text arrives", async () => {
    const element = await chat('slow', {params: {probe: newProbe(), fail: 1, retryAfter: 0}});
    let retried = false;
    element.addEventListener('retry', () => (retried = true));

    const sent = element.send('hi');
    await waitFor(() => answerText(element) === 'first ', 'the answer to begin');
    await element.updateComplete;

    assert.deepEqual([retried, statusText(element)], [true, undefined]);
    element.stop();
    await sent;
  });

  it('says it reconnects while a broken answer resumes', async () => {
    // Written in pieces: bytes written just before the socket is destroyed may never reach the page.
    const element = await chat('resumable', {params: {ids: 1, breakAt: 600, split: 'every-100', pace: 5}});

    const {sent, detail, status} = await sendUntilRetry(element);

    assert.deepEqual([detail.resume, status], [true, 'Connection lost. Reconnecting…']);
    element.stop();
    await sent;
  });
});

describe('<chat-stream> when an answer cannot arrive', () => {
  it('says an answer timed out when nothing came for idle-timeout seconds', async () => {
    const element = await chat('slow', {attributes: 'idle-timeout=0.2'});

    const result = await element.send('hi');
    await element.updateComplete;

    assert.strictEqual(result.error?.code, 'timeout');
    assert.match(errorText(element), /^Timed out: nothing arrived for too long\. Check your network and retry\./);
  });
});

describe('<chat-stream> offline', () => {
  let online;
  const goOnline = () => {
    online = true;
    window.dispatchEvent(new Event('online'));
  };
  beforeEach(() => {
    online = false;
    Object.defineProperty(navigator, 'onLine', {configurable: true, get: () => online});
  });
  afterEach(() => delete navigator.onLine);

  it('says the browser is offline, and offers no Retry while it is', async () => {
    const element = await chat('greeting');

    const result = await element.send('hi');
    await element.updateComplete;

    assert.strictEqual(result.error?.code, 'offline');
    assert.match(errorText(element), /^You're offline\. Retry when you're back online\./);
    assert.strictEqual(retryButtons(element), 0);
  });

  it('offers Retry once the browser is back online', async () => {
    const element = await chat('greeting');
    await element.send('hi');

    goOnline();
    await element.updateComplete;

    assert.strictEqual(retryButtons(element), 1);
  });

  it('moves focus from Retry to the input when the browser goes offline again', async () => {
    const element = await chat('greeting');
    await element.send('hi');
    goOnline();
    await element.updateComplete;
    shadow(element, '[part="retry-button"]').focus();

    online = false;
    window.dispatchEvent(new Event('offline'));
    await element.updateComplete;

    assert.deepEqual([retryButtons(element), element.shadowRoot.activeElement?.getAttribute('part')], [0, 'input']);
  });

  it('says so when the browser is back online', async () => {
    const element = await chat('greeting');
    await announcements(element, () => element.send('hi'));

    const said = await announcements(element, goOnline);

    assert.deepEqual(said, ['Back online.']);
  });
});
