// How `streamChat` and `ChatSession` cope with the network (issue 15): retries before the answer
// begins, the timeouts, a new token after a 401, resuming a broken answer, offline, and the
// timing of each result. Run in Node (node:test, the built package) and in Chromium
// (web-test-runner, the TypeScript source), against the fixture server's faults over real HTTP
// (see the header of test/fixtures/server.js).
//
// Where a test is about how long a wait is, the core gets `timers` whose setTimeout records the
// milliseconds asked for (fakeTimers): nothing asserts on how fast the machine is. Those tests
// turn the watchdogs off (WATCHDOGS_OFF), so that every recorded timer is a wait before a retry
// or a resume.
import {GREETING_TEXT, RESUMABLE_TEXT} from '../fixtures/scenarios.js';

const MESSAGES = [{role: 'user', content: '你好'}];
/** No first-byte or idle watchdog: the only timers set are the waits before sending again. */
const WATCHDOGS_OFF = {firstByteTimeout: 0, idleTimeout: 0};
let probeCount = 0;

/**
 * Timers for the waits a test controls. Each setTimeout records its milliseconds in `delays`;
 * with `fire` its callback runs on the next task (the wait is over at once), without it never
 * (the wait lasts until the caller aborts). `random` is the backoff's jitter. `waiting`
 * resolves once the first timer is set.
 */
export function fakeTimers({fire = true, random = () => 0.5} = {}) {
  const delays = [];
  const pending = new Map();
  let handles = 0;
  let waited;
  return {
    delays,
    random,
    waiting: new Promise((resolve) => (waited = resolve)),
    setTimeout: (callback, ms) => {
      delays.push(ms);
      waited();
      const handle = ++handles;
      if (fire) pending.set(handle, globalThis.setTimeout(callback, 0));
      return handle;
    },
    clearTimeout: (handle) => {
      globalThis.clearTimeout(pending.get(handle));
      pending.delete(handle);
    },
  };
}

/**
 * @param {object} harness
 * @param {Function} harness.describe
 * @param {Function} harness.it
 * @param {object} harness.assert
 * @param {typeof import('../../src/core/index.js')} harness.core
 * @param {() => string} harness.origin the test server's origin
 */
export function defineNetworkSuite({describe, it, assert, core, origin}) {
  const {streamChat, ChatSession} = core;
  const newProbe = () => `n${++probeCount}-${Math.random().toString(36).slice(2)}`;
  // A probe of its own unless the test names one: `fail` and `breakAt` count a probe's requests
  // (without one, every request would be the first, and fail or break again).
  const scenarioUrl = (name, params = {}) => `${origin()}/sse/${name}?${new URLSearchParams({probe: newProbe(), ...params})}`;
  const chat = (name, params = {}, options = {}) =>
    streamChat({url: scenarioUrl(name, params), token: 'test-token', body: {messages: MESSAGES}, ...options});
  const readProbe = async (id) => (await fetch(`${origin()}/sse-probe/${id}`)).json();
  const requests = async (id) => (await readProbe(id)).requests;
  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  /** The result, or one whose status says it never came: a core that waits forever fails the test rather than hanging the runner. */
  const within = (pending, ms = 10000) => {
    let timer;
    const late = new Promise((resolve) => (timer = setTimeout(() => resolve({status: `still pending after ${ms} ms`}), ms)));
    return Promise.race([pending, late]).finally(() => clearTimeout(timer));
  };
  const waitForClose = async (id) => {
    for (let i = 0; i < 150; i++) {
      if ((await readProbe(id)).closed) return true;
      await sleep(20);
    }
    return false;
  };
  /** Calls of a function, each its arguments, and the function answering with `answers` in turn (a function answer is called). */
  const recorder = (...answers) => {
    const calls = [];
    const fn = async (...args) => {
      calls.push(args);
      const answer = answers[Math.min(calls.length, answers.length) - 1];
      return typeof answer === 'function' ? answer(...args) : answer;
    };
    return {fn, calls};
  };
  const withoutLastEventId = ({'last-event-id': _, ...headers}) => headers;

  /**
   * The events of a scenario as the server sends them with `params` (ids, retryField), read
   * here without the core: each one's raw text, its byte length, its id and the text it adds.
   * A retry field's block counts as one, with no id and no text.
   */
  const servedEvents = async (name, params = {}) => {
    const body = await (await fetch(scenarioUrl(name, params), {method: 'POST'})).text();
    const encoder = new TextEncoder();
    return body
      .split(/(?<=\n\n)/)
      .filter((raw) => raw.trim() !== '')
      .map((raw) => {
        const field = (name) => [...raw.matchAll(/^(\w+): ?(.*)$/gm)].find((match) => match[1] === name)?.[2];
        const data = field('data');
        const content = data && data !== '[DONE]' ? (JSON.parse(data).choices[0].delta.content ?? '') : '';
        return {raw, bytes: encoder.encode(raw).length, id: field('id'), content};
      });
  };
  const bytesOf = (events) => events.reduce((sum, event) => sum + event.bytes, 0);
  const textOf = (events) => events.map((event) => event.content).join('');
  /** A break 10 bytes into the event after the first `count` events: what arrived whole is those. */
  const breakAfter = (events, count) => bytesOf(events.slice(0, count)) + 10;

  describe('streamChat: retries before the answer begins', () => {
    it('sends a request again after a 503 and completes the answer', async () => {
      const probe = newProbe();
      const retries = [];

      const result = await chat('greeting', {probe, fail: 1}, {...WATCHDOGS_OFF, timers: fakeTimers(), onRetry: (retry) => retries.push(retry)});

      assert.deepEqual([result.status, result.text, result.timing.retries], ['done', GREETING_TEXT, 1]);
      assert.strictEqual(await requests(probe), 2);
      assert.strictEqual(retries.length, 1);
      const {resume, attempt, attempts, error} = retries[0];
      assert.deepEqual({resume, attempt, attempts, kind: error.kind, code: error.code}, {resume: false, attempt: 1, attempts: 2, kind: 'http', code: 503});
    });

    it('sends a request again after the connection was reset before any response', async () => {
      const probe = newProbe();

      const result = await chat('greeting', {probe, fail: 1, failStatus: 'reset'}, {...WATCHDOGS_OFF, timers: fakeTimers()});

      assert.deepEqual([result.status, result.text], ['done', GREETING_TEXT]);
      assert.strictEqual(await requests(probe), 2);
    });

    for (const status of [429, 408, 502, 504]) {
      it(`sends a request again after a ${status}`, async () => {
        const probe = newProbe();

        const result = await chat('greeting', {probe, fail: 1, failStatus: status}, {...WATCHDOGS_OFF, timers: fakeTimers()});

        assert.deepEqual([result.status, result.text], ['done', GREETING_TEXT]);
        assert.strictEqual(await requests(probe), 2);
      });
    }

    for (const status of [500, 400]) {
      it(`does not send a request again after a ${status}`, async () => {
        const probe = newProbe();

        const result = await chat('greeting', {probe, fail: 1, failStatus: status}, {...WATCHDOGS_OFF, timers: fakeTimers()});

        assert.strictEqual(result.status, 'error');
        assert.deepEqual([result.error.kind, result.error.code], ['http', status]);
        assert.strictEqual(await requests(probe), 1);
      });
    }

    it('sends once and keeps the error with retries: 0', async () => {
      const probe = newProbe();

      const result = await chat('greeting', {probe, fail: 1}, {...WATCHDOGS_OFF, timers: fakeTimers(), retries: 0});

      assert.strictEqual(result.status, 'error');
      assert.deepEqual(result.error, {kind: 'http', code: 503, message: 'try again'});
      assert.strictEqual(await requests(probe), 1);
    });

    it('ends with the last error once out of retries, after retries + 1 requests', async () => {
      const probe = newProbe();

      const result = await chat('greeting', {probe, fail: 9}, {...WATCHDOGS_OFF, timers: fakeTimers(), retries: 3});

      assert.strictEqual(result.status, 'error');
      assert.deepEqual(result.error, {kind: 'http', code: 503, message: 'try again'});
      assert.strictEqual(result.timing.retries, 3);
      assert.strictEqual(await requests(probe), 4);
    });

    it('waits the seconds Retry-After gives', async () => {
      const timers = fakeTimers();

      const result = await chat('greeting', {fail: 1, retryAfter: 2}, {...WATCHDOGS_OFF, timers});

      assert.strictEqual(result.status, 'done');
      assert.deepEqual(timers.delays, [2000]);
    });

    it('waits until the HTTP date Retry-After gives', async () => {
      const timers = fakeTimers();
      // An HTTP date has whole seconds: 3.5 s ahead is 2.5 to 3.5 s ahead once truncated.
      const date = new Date(Date.now() + 3500).toUTCString();

      const result = await chat('greeting', {fail: 1, retryAfter: date}, {...WATCHDOGS_OFF, timers});

      assert.strictEqual(result.status, 'done');
      assert.strictEqual(timers.delays.length, 1);
      assert.ok(timers.delays[0] >= 2000 && timers.delays[0] <= 3500, `waited ${timers.delays[0]} ms for ${date}`);
    });

    it('does not retry when Retry-After asks for more than a minute, keeping the error', async () => {
      const probe = newProbe();
      const timers = fakeTimers();

      const result = await chat('greeting', {probe, fail: 1, retryAfter: 120}, {...WATCHDOGS_OFF, timers});

      assert.strictEqual(result.status, 'error');
      assert.deepEqual([result.error.kind, result.error.code], ['http', 503]);
      assert.strictEqual(await requests(probe), 1);
      assert.deepEqual(timers.delays, []);
    });

    for (const retryAfter of ['1.5', '-1', 'soon']) {
      it(`backs off as without a Retry-After when it is neither seconds nor a date (${retryAfter})`, async () => {
        const timers = fakeTimers({random: () => 0.5});

        await chat('greeting', {fail: 1, retryAfter}, {...WATCHDOGS_OFF, timers});

        assert.deepEqual(timers.delays, [500]);
      });
    }

    it('backs off exponentially with full jitter: up to 1 s, then up to 2 s', async () => {
      const timers = fakeTimers({random: () => 0.999});
      const retries = [];

      const result = await chat('greeting', {fail: 2}, {...WATCHDOGS_OFF, timers, onRetry: (retry) => retries.push(retry)});

      assert.strictEqual(result.status, 'done');
      assert.deepEqual(timers.delays, [999, 1998]);
      assert.deepEqual(
        retries.map(({attempt, delay}) => [attempt, delay]),
        [
          [1, 999],
          [2, 1998],
        ],
      );
    });

    it('waits nothing when the jitter draws 0', async () => {
      const timers = fakeTimers({random: () => 0});

      const result = await chat('greeting', {fail: 1}, {...WATCHDOGS_OFF, timers});

      assert.strictEqual(result.status, 'done');
      assert.deepEqual(timers.delays, [0]);
    });

    it('never retries once a byte of the answer arrived: the text so far stays, with connection_lost', async () => {
      const probe = newProbe();
      const events = await servedEvents('greeting');

      const result = await chat('greeting', {probe, breakAt: breakAfter(events, 3)}, {...WATCHDOGS_OFF, timers: fakeTimers()});

      assert.strictEqual(result.status, 'error');
      assert.deepEqual([result.error.kind, result.error.code], ['network', 'connection_lost']);
      assert.strictEqual(result.text, textOf(events.slice(0, 3)));
      assert.strictEqual(result.timing.retries, 0);
      assert.strictEqual(await requests(probe), 1);
    });

    it('ends aborted, sending nothing more, when the caller aborts during the wait', async () => {
      const probe = newProbe();
      const controller = new AbortController();
      const timers = fakeTimers({fire: false});

      const pending = chat('greeting', {probe, fail: 1}, {...WATCHDOGS_OFF, timers, signal: controller.signal});
      await timers.waiting;
      await sleep(20);
      controller.abort();
      const result = await within(pending);

      assert.strictEqual(result.status, 'aborted');
      assert.strictEqual(await requests(probe), 1);
    });

    it('sends again when no response began within firstByteTimeout', async () => {
      const probe = newProbe();

      const result = await within(chat('greeting', {probe, fail: 1, failStatus: 'stall'}, {firstByteTimeout: 300, retries: 1, timers: {random: () => 0}}));

      assert.deepEqual([result.status, result.text, result.timing.retries], ['done', GREETING_TEXT, 1]);
      assert.strictEqual(await requests(probe), 2);
    });

    it('counts a body late after its headers as a first-byte timeout, which is sent again', async () => {
      const probe = newProbe();

      const result = await chat('greeting', {probe, bodyDelay: 2000}, {firstByteTimeout: 300, retries: 1, timers: {random: () => 0}});

      assert.strictEqual(result.status, 'error');
      assert.deepEqual([result.error.kind, result.error.code], ['network', 'timeout']);
      assert.strictEqual(result.text, '');
      assert.strictEqual(await requests(probe), 2);
    });
  });

  describe('streamChat: timeouts mid-answer', () => {
    it('ends a stall mid-answer after idleTimeout with a timeout, keeping the text and closing the connection', async () => {
      const probe = newProbe();
      const events = await servedEvents('greeting');

      const result = await within(chat('greeting', {probe, stallAt: breakAfter(events, 3)}, {idleTimeout: 300}));

      assert.strictEqual(result.status, 'error');
      assert.deepEqual([result.error.kind, result.error.code], ['network', 'timeout']);
      assert.strictEqual(result.text, textOf(events.slice(0, 3)));
      assert.strictEqual(await requests(probe), 1);
      assert.ok(await waitForClose(probe), 'the server saw the connection close');
    });

    it('ends done when the stall comes after the finish reason', async () => {
      const events = await servedEvents('greeting');
      // The events: the role, six deltas, the finish reason, then [DONE], which never comes.
      const result = await within(chat('greeting', {stallAt: bytesOf(events.slice(0, 8))}, {idleTimeout: 300}));

      assert.deepEqual([result.status, result.text, result.finishReason], ['done', GREETING_TEXT, 'stop']);
    });

    it('counts keep-alive comments during a stall as bytes: no idle timeout while they come', async () => {
      const probe = newProbe();
      const controller = new AbortController();
      const events = await servedEvents('greeting');
      let settled = false;

      // The stall between two events: a keep-alive comment inside an event would corrupt it.
      const pending = chat('greeting', {probe, stallAt: bytesOf(events.slice(0, 3)), keepAlive: 100}, {idleTimeout: 500, signal: controller.signal});
      void pending.then(() => (settled = true));
      await sleep(1200);
      const settledBeforeAbort = settled;
      controller.abort();
      const result = await pending;

      assert.strictEqual(settledBeforeAbort, false, `ended before the abort: ${JSON.stringify(await pending)}`);
      assert.strictEqual(result.status, 'aborted');
      assert.strictEqual(result.text, textOf(events.slice(0, 3)));
      // The keep-alives were read: many more pieces than the one before the stall.
      assert.ok(result.timing.chunks >= 4, `${result.timing.chunks} chunks`);
    });

    it('waits through a stall forever with idleTimeout: 0', async () => {
      const controller = new AbortController();
      const events = await servedEvents('greeting');
      let settled = false;

      const pending = chat('greeting', {stallAt: breakAfter(events, 3)}, {idleTimeout: 0, signal: controller.signal});
      void pending.then(() => (settled = true));
      await sleep(500);
      const settledBeforeAbort = settled;
      controller.abort();
      const result = await pending;

      assert.strictEqual(settledBeforeAbort, false);
      assert.strictEqual(result.status, 'aborted');
      assert.strictEqual(result.error, null);
    });

    it('watches a whole answer with one timer: its pieces move the deadline, not the timer', async () => {
      // These timers never fire: every one the watchdog sets is recorded, none ends the answer.
      const timers = fakeTimers({fire: false});

      const result = await chat('greeting', {split: 'bytes'}, {firstByteTimeout: 1000, idleTimeout: 2000, timers});

      assert.strictEqual(result.status, 'done');
      assert.deepEqual(timers.delays, [1000]);
    });

    it('sets the watchdog anew when the idle wait ends before the first-byte one would', async () => {
      const timers = fakeTimers({fire: false});

      const result = await chat('greeting', {split: 'bytes'}, {firstByteTimeout: 2000, idleTimeout: 1000, timers});

      assert.strictEqual(result.status, 'done');
      assert.deepEqual(timers.delays, [2000, 1000]);
    });
  });

  describe('streamChat: a new token after a 401', () => {
    it('asks getToken once with reason unauthorized and sends again with the new token', async () => {
      const probe = newProbe();
      const getToken = recorder('new-token');

      const result = await chat('greeting', {probe, fail: 1, failStatus: 401}, {token: 'old-token', getToken: getToken.fn});

      assert.deepEqual([result.status, result.text], ['done', GREETING_TEXT]);
      assert.deepEqual(getToken.calls, [[{reason: 'unauthorized'}]]);
      const {history} = await readProbe(probe);
      assert.deepEqual(
        history.map(({headers}) => headers.authorization),
        ['Bearer old-token', 'Bearer new-token'],
      );
    });

    it('asks for a sign-in after a second 401, having called getToken only twice', async () => {
      const probe = newProbe();
      const getToken = recorder('first-token', 'second-token');

      const result = await chat('greeting', {probe, fail: 2, failStatus: 401}, {token: undefined, getToken: getToken.fn});

      assert.strictEqual(result.status, 'login-required');
      assert.deepEqual([result.error.kind, result.error.code], ['http', 401]);
      assert.deepEqual(getToken.calls, [[], [{reason: 'unauthorized'}]]);
      assert.strictEqual(await requests(probe), 2);
    });

    it('shares one refresh between two requests that meet a 401 together with one getToken', async () => {
      const [first, second] = [newProbe(), newProbe()];
      let release;
      const released = new Promise((resolve) => (release = resolve));
      // The new token comes once both requests have met their 401.
      const getToken = recorder(() => released.then(() => 'new-token'));
      const waitFor401s = (async () => {
        while ((await requests(first)) < 1 || (await requests(second)) < 1) await sleep(10);
        await sleep(50);
        release();
      })();

      const results = await Promise.all([first, second].map((probe) => chat('greeting', {probe, fail: 1, failStatus: 401}, {token: 'stale-token', getToken: getToken.fn})));
      await waitFor401s;

      assert.deepEqual(
        results.map((result) => result.status),
        ['done', 'done'],
      );
      assert.deepEqual(getToken.calls, [[{reason: 'unauthorized'}]]);
      for (const probe of [first, second]) assert.strictEqual((await readProbe(probe)).history[1].headers.authorization, 'Bearer new-token');
    });

    it('asks getToken again at a later 401 when the last refresh gave back the same token', async () => {
      const getToken = recorder('same-token', 'same-token');
      await chat('greeting', {fail: 1, failStatus: 401}, {token: 'same-token', getToken: getToken.fn});

      await chat('greeting', {fail: 1, failStatus: 401}, {token: 'same-token', getToken: getToken.fn});

      assert.deepEqual(getToken.calls, [[{reason: 'unauthorized'}], [{reason: 'unauthorized'}]]);
    });

    it('ends at once when aborted while getToken still waits (a sign-in dialog left open)', async () => {
      const controller = new AbortController();
      const getToken = recorder(() => new Promise(() => {}));
      const pending = chat('greeting', {}, {token: undefined, getToken: getToken.fn, signal: controller.signal});
      await sleep(20);

      controller.abort();

      assert.strictEqual((await within(pending, 2000)).status, 'aborted');
    });

    it('fails with token_failed when getToken throws on the refresh', async () => {
      const probe = newProbe();
      const getToken = recorder(() => {
        throw new Error('the session expired');
      });

      const result = await chat('greeting', {probe, fail: 1, failStatus: 401}, {token: 'old-token', getToken: getToken.fn});

      assert.strictEqual(result.status, 'error');
      assert.deepEqual([result.error.kind, result.error.code], ['network', 'token_failed']);
      assert.strictEqual(await requests(probe), 1);
    });
  });

  describe('streamChat: resuming a broken answer (Last-Event-ID)', () => {
    it('continues the answer exactly after a reset, with the same request and the last complete event id', async () => {
      const probe = newProbe();
      const events = await servedEvents('resumable', {ids: 1});

      const result = await chat('resumable', {probe, ids: 1, breakAt: breakAfter(events, 20)}, {headers: {'X-Trace': 'abc'}});

      assert.deepEqual([result.status, result.text, result.timing.resumed, result.timing.retries], ['done', RESUMABLE_TEXT, 1, 0]);
      const {history} = await readProbe(probe);
      assert.strictEqual(history.length, 2);
      assert.strictEqual(history[1].headers['last-event-id'], events[19].id);
      assert.strictEqual(history[0].headers['last-event-id'], undefined);
      assert.deepEqual(
        [history[1].method, history[1].body, withoutLastEventId(history[1].headers)],
        [history[0].method, history[0].body, history[0].headers],
      );
    });

    it('continues the answer exactly after the response ended cleanly mid-answer', async () => {
      const probe = newProbe();
      const events = await servedEvents('resumable', {ids: 1});

      const result = await chat('resumable', {probe, ids: 1, breakAt: breakAfter(events, 20), breakMode: 'end'});

      assert.deepEqual([result.status, result.text, result.timing.resumed], ['done', RESUMABLE_TEXT, 1]);
      assert.strictEqual(await requests(probe), 2);
    });

    for (const resume of ['refuse', 'mismatch']) {
      it(`keeps the partial text, never appending, when the server answers the resume with a fresh answer (resume=${resume})`, async () => {
        const probe = newProbe();
        const events = await servedEvents('resumable', {ids: 1});

        const result = await chat('resumable', {probe, ids: 1, resume, breakAt: breakAfter(events, 20)});

        assert.strictEqual(result.status, 'error');
        assert.deepEqual([result.error.kind, result.error.code], ['network', 'connection_lost']);
        assert.strictEqual(result.text, textOf(events.slice(0, 20)));
        assert.strictEqual(result.timing.resumed, 0);
        assert.strictEqual(await requests(probe), 2);
      });
    }

    it('does not resume a stream without ids', async () => {
      const probe = newProbe();
      const events = await servedEvents('resumable');

      const result = await chat('resumable', {probe, breakAt: breakAfter(events, 20)});

      assert.deepEqual([result.status, result.error.code, result.text], ['error', 'connection_lost', textOf(events.slice(0, 20))]);
      assert.strictEqual(await requests(probe), 1);
    });

    it('does not resume with resumeAttempts: 0', async () => {
      const probe = newProbe();
      const events = await servedEvents('resumable', {ids: 1});

      const result = await chat('resumable', {probe, ids: 1, breakAt: breakAfter(events, 20)}, {resumeAttempts: 0});

      assert.deepEqual([result.status, result.error.code, result.text], ['error', 'connection_lost', textOf(events.slice(0, 20))]);
      assert.strictEqual(await requests(probe), 1);
    });

    it("waits the stream's retry field before resuming", async () => {
      const timers = fakeTimers();
      const retries = [];
      const events = await servedEvents('resumable', {ids: 1, retryField: 1234});

      const result = await chat('resumable', {ids: 1, retryField: 1234, breakAt: breakAfter(events, 20)}, {...WATCHDOGS_OFF, timers, onRetry: (retry) => retries.push(retry)});

      assert.deepEqual([result.status, result.text], ['done', RESUMABLE_TEXT]);
      assert.deepEqual(timers.delays, [1234]);
      assert.deepEqual(
        retries.map(({resume, attempt, attempts, delay, error}) => ({resume, attempt, attempts, delay, code: error.code})),
        [{resume: true, attempt: 1, attempts: 1, delay: 1234, code: 'connection_lost'}],
      );
    });

    it('resumes each of two breaks, and the text is exact', async () => {
      const probe = newProbe();
      const events = await servedEvents('resumable', {ids: 1});
      // The second break is counted in the resumed body, which starts after event 10.
      const breakAt = [breakAfter(events, 10), breakAfter(events.slice(10), 15)].join(',');

      const result = await chat('resumable', {probe, ids: 1, breakAt});

      assert.deepEqual([result.status, result.text, result.timing.resumed], ['done', RESUMABLE_TEXT, 2]);
      const {history} = await readProbe(probe);
      assert.deepEqual(
        history.map(({headers}) => headers['last-event-id']),
        [undefined, events[9].id, events[24].id],
      );
    });
  });

  describe('streamChat: offline and hidden pages (browsers only)', () => {
    const inBrowser = typeof navigator !== 'undefined' && 'onLine' in navigator && typeof document !== 'undefined';
    const browserIt = inBrowser ? it : it.skip;
    /** Runs `act` while the page's own property `name` of `target` reads `value`. */
    const pretending = async (target, name, value, act) => {
      Object.defineProperty(target, name, {configurable: true, get: () => value});
      try {
        return await act();
      } finally {
        delete target[name];
      }
    };

    browserIt('fails at once with offline, sending nothing, when the browser is offline', async () => {
      const probe = newProbe();

      const result = await pretending(navigator, 'onLine', false, () => chat('greeting', {probe}));

      assert.strictEqual(result.status, 'error');
      assert.deepEqual([result.error.kind, result.error.code], ['network', 'offline']);
      assert.strictEqual(await requests(probe), 0);
    });

    browserIt('does not retry a failure met after the browser went offline: the error is offline', async () => {
      const probe = newProbe();
      const timers = fakeTimers();

      // Sent online; offline before the 503 comes back.
      const pending = chat('greeting', {probe, fail: 1}, {...WATCHDOGS_OFF, timers});
      const result = await pretending(navigator, 'onLine', false, () => pending);

      assert.strictEqual(result.status, 'error');
      assert.deepEqual([result.error.kind, result.error.code], ['network', 'offline']);
      assert.deepEqual(timers.delays, []);
      assert.strictEqual(await requests(probe), 1);
    });

    browserIt('waits for a hidden page to show before sending again', async () => {
      const probe = newProbe();
      const timers = fakeTimers();
      let pending;

      const requestsWhileHidden = await pretending(document, 'visibilityState', 'hidden', async () => {
        pending = chat('greeting', {probe, fail: 1}, {...WATCHDOGS_OFF, timers});
        await within(timers.waiting);
        await sleep(300);
        return requests(probe);
      });
      document.dispatchEvent(new Event('visibilitychange'));
      const result = await within(pending);

      assert.strictEqual(requestsWhileHidden, 1, 'sent again while the page was hidden');
      assert.strictEqual(result.status, 'done');
      assert.strictEqual(await requests(probe), 2);
    });
  });

  describe('streamChat: timing and buffering', () => {
    it('reports the timing of a normal stream', async () => {
      const result = await chat('greeting', {split: 'hostile', pace: 1});

      const {firstByteMs, totalMs, chunks, longestGapMs, retries, resumed} = result.timing;
      assert.strictEqual(result.status, 'done');
      assert.strictEqual(typeof firstByteMs, 'number');
      assert.ok(firstByteMs >= 0 && firstByteMs <= totalMs, `firstByteMs ${firstByteMs}, totalMs ${totalMs}`);
      assert.ok(chunks >= 1);
      assert.ok(longestGapMs >= 0 && longestGapMs <= totalMs);
      assert.deepEqual([retries, resumed], [0, 0]);
      assert.strictEqual(result.buffered, false);
    });

    it('flags a stream that arrived whole after a long wait as buffered', async () => {
      const result = await chat('greeting', {delay: 1200});

      assert.strictEqual(result.status, 'done');
      assert.strictEqual(result.buffered, true);
    });

    it('does not flag a stream paced over time after the same wait', async () => {
      const result = await chat('greeting', {delay: 1200, split: 'every-200', pace: 150});

      assert.strictEqual(result.status, 'done');
      assert.strictEqual(result.buffered, false);
    });

    it('does not flag a stream that arrived whole after a short wait', async () => {
      const result = await chat('greeting', {delay: 200});

      assert.strictEqual(result.status, 'done');
      assert.strictEqual(result.buffered, false);
    });
  });

  describe('ChatSession: the network', () => {
    const session = (name, params = {}, options = {}) => new ChatSession({url: scenarioUrl(name, params), token: 'test-token', ...options});

    it('fires retry with the answer id and the retry', async () => {
      const timers = fakeTimers();
      const chat = session('greeting', {fail: 1}, {...WATCHDOGS_OFF, timers});
      const retries = [];
      chat.addEventListener('retry', (event) => retries.push(event.detail));

      const result = await chat.send('hi');

      assert.strictEqual(result.status, 'done');
      assert.strictEqual(retries.length, 1);
      const {error, ...detail} = retries[0];
      assert.deepEqual(detail, {messageId: chat.messages[1].id, resume: false, attempt: 1, attempts: 2, delay: timers.delays[0]});
      assert.deepEqual([error.kind, error.code], ['http', 503]);
    });

    it('sends once when a request listener sets retries to 0', async () => {
      const probe = newProbe();
      const chat = session('greeting', {probe, fail: 1}, {...WATCHDOGS_OFF, timers: fakeTimers()});
      chat.addEventListener('request', (event) => (event.detail.retries = 0));

      const result = await chat.send('hi');

      assert.deepEqual([result.status, result.error.code], ['error', 503]);
      assert.strictEqual(chat.messages[1].status, 'error');
      assert.strictEqual(await requests(probe), 1);
    });

    it('stop() during the wait before a retry ends the answer stopped, sending nothing more', async () => {
      const probe = newProbe();
      const timers = fakeTimers({fire: false});
      const chat = session('greeting', {probe, fail: 1}, {...WATCHDOGS_OFF, timers});

      const pending = chat.send('hi');
      await within(timers.waiting);
      await sleep(20);
      chat.stop();
      const result = await within(pending);

      assert.strictEqual(timers.delays.length, 1, 'the wait before the retry never began');
      assert.strictEqual(result.status, 'aborted');
      assert.strictEqual(chat.messages[1].status, 'stopped');
      assert.strictEqual(await requests(probe), 1);
    });

    it('gets a new token from getToken after a 401 and completes the answer', async () => {
      const probe = newProbe();
      const getToken = recorder('old-token', 'new-token');
      const chat = session('greeting', {probe, fail: 1, failStatus: 401}, {token: undefined, getToken: getToken.fn});

      const result = await chat.send('hi');

      assert.deepEqual([result.status, chat.messages[1].content], ['done', GREETING_TEXT]);
      assert.deepEqual(getToken.calls, [[], [{reason: 'unauthorized'}]]);
      assert.deepEqual(
        (await readProbe(probe)).history.map(({headers}) => headers.authorization),
        ['Bearer old-token', 'Bearer new-token'],
      );
    });

    it('asks for a sign-in (reason unauthorized) only after the new token met a 401 too', async () => {
      const probe = newProbe();
      const getToken = recorder('old-token', 'new-token');
      const chat = session('greeting', {probe, fail: 2, failStatus: 401}, {token: undefined, getToken: getToken.fn});
      const signIns = [];
      chat.addEventListener('login-required', (event) => signIns.push(event.detail));

      const result = await chat.send('hi');

      assert.strictEqual(result.status, 'login-required');
      assert.deepEqual(signIns, [{reason: 'unauthorized', text: 'hi'}]);
      assert.deepEqual(getToken.calls, [[], [{reason: 'unauthorized'}]]);
      assert.strictEqual(await requests(probe), 2);
    });

    it('gives done the timing and whether the stream was buffered', async () => {
      const chat = session('greeting');
      const done = new Promise((resolve) => chat.addEventListener('done', (event) => resolve(event.detail), {once: true}));

      await chat.send('hi');
      const {timing, buffered} = await done;

      assert.strictEqual(buffered, false);
      assert.deepEqual(Object.keys(timing).sort(), ['chunks', 'firstByteMs', 'longestGapMs', 'resumed', 'retries', 'totalMs']);
      assert.ok(timing.chunks >= 1);
      assert.deepEqual([timing.retries, timing.resumed], [0, 0]);
    });
  });
}
