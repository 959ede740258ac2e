// Issue 15's two randomised tests of `streamChat`, over real HTTP against the fixture server
// (test/fixtures/server.js), in Node (node:test, the built package) and in Chromium
// (web-test-runner, the TypeScript source, with fewer cases):
//
// - Fault injection: every fixture that is an event stream whose answer ends `done` is served
//   with `ids=1` (each event numbered) and resumed as the server honours `Last-Event-ID`, and
//   its connection broken at a random byte (a reset or a clean end; in half of the cases the
//   resumed response is broken again). The result must be the unbroken one, exactly: the same
//   text, with no character lost or repeated, the same reasoning, tool calls, finish reason and
//   usage, status `done`, and one resume per break. `retryField=0` makes each resume wait 0 ms.
//   Breaks before the first event is whole are drawn apart: nothing to resume from, an error.
// - Property: every fixture (error answers, NDJSON, plain text and JSON included), served in
//   random pieces of 1 to 64 bytes (`split=random-<seed>`), gives the result it gives served
//   whole, `timing` and `buffered` aside (they measure the pieces).
//
// Every draw is seeded (test/fixtures/random.js): a failure names the fixture, the case's seed
// and the query that reproduces it.
import {scenarios} from '../fixtures/scenarios.js';
import {between, mulberry32, seedFor} from '../fixtures/random.js';

const MESSAGES = [{role: 'user', content: '你好'}];
/** A case still running after this long has hung: it fails rather than hanging the runner. */
const CASE_LIMIT = 20000;
let probeCount = 0;

/**
 * The fixtures the core reads only when told how (the field paths, a format), as
 * backends.suite.js reads them; each is tested both ways: as told and with `auto`.
 */
const WITH_OPTIONS = [
  {scenario: 'dify', options: {textPath: 'answer'}},
  {scenario: 'dify-error', options: {textPath: 'answer', errorPath: 'event=error'}},
  {scenario: 'ernie', options: {textPath: 'result', donePath: 'is_end'}},
  {scenario: 'ernie-error', options: {textPath: 'result', errorPath: 'error_msg'}},
  {scenario: 'data-content', options: {textPath: 'data.content', reasoningPath: 'data.reasoning', donePath: 'done'}},
  {scenario: 'sse-text', options: {format: 'text'}},
  {scenario: 'ollama-whole', options: {format: 'ndjson'}},
];

/**
 * Formats with no end marker: the end of the body is the end of the answer, so a response that
 * ends cleanly early is a complete (shorter) answer to them, by design. Those fixtures are broken
 * only by resets.
 */
const ENDS_WITH_BODY = new Set(['dify {"textPath":"answer"}', 'sse-text {"format":"text"}']);

/** Fixtures that never end by themselves, and how a test ends them the same way whatever the pieces. */
const NEVER_ENDING = {
  // Hangs after its first event: the idle timeout ends it with that event's text.
  slow: {idleTimeout: 1000},
  // Its error body hangs after 9 bytes: the idle timeout ends it. A timeout is retried as a
  // failure before the answer: retries 0 keeps it to one wait.
  'http-500-hang': {idleTimeout: 1000, retries: 0},
  // Sends a chunk every 20 ms forever: the test aborts it as soon as the first one shows, so the
  // text is the same every time (`onUpdate` aborting: nothing after counts).
  trickle: {abortWhen: (text) => text.includes(' late')},
};

/** Left out of the fault injection, and why (the others are chosen by what they answer whole). */
const NOT_BROKEN = {
  large: 'its 10 MB go to every case and to each step of the search for where its answer is complete (20 cases: 20 s); `long` and `resumable` break the same code',
  'multiline-data': 'its own `id: 7` field overrides the numbering the fault server resumes by',
};

/** Fewer breaks where they can fall on few bytes: after its 1.6 MB first event, deep-parts has 300 more. */
const FEWER_BREAKS = {'deep-parts': 50};

/** Left out of the property test, and why. */
const NOT_CHUNKED = {
  large: 'its 10 MB in pieces of at most 64 bytes are 600,000 writes, 15 s a case; stream-chat.suite.js reads it in pieces of 4093 bytes',
};

/** Fewer random chunkings for a fixture whose body is large: 1.6 MB is 90,000 pieces, 1 s a case. */
const FEWER_CHUNKINGS = {'deep-parts': 3};

const fixtures = () => [
  ...Object.keys(scenarios).map((scenario) => ({scenario, options: {}, label: scenario})),
  ...WITH_OPTIONS.map(({scenario, options}) => ({scenario, options, label: `${scenario} ${JSON.stringify(options)}`})),
];

/** Whether a fixture is an event stream (the only kind that carries event IDs to resume by). */
const isEventStream = (scenario) => scenarios[scenario]().type.startsWith('text/event-stream');

/** A result without what measures the delivery rather than the answer (of how long the model reasoned, only whether it did). */
const answerOf = ({timing, buffered, reasoningMs, ...answer}) => ({...answer, reasoned: reasoningMs !== null});

/** Runs `work` on each item, at most `limit` at a time. */
export async function inPool(items, limit, work) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      await work(items[index], index);
    }
  };
  await Promise.all(Array.from({length: Math.min(limit, items.length)}, worker));
}

/**
 * The blocks of an event stream as the fault server numbers them (`id: <n>` first in each), in
 * bytes of `body`: where each ends (`end`: a resumed response starts there) and where the core
 * has it whole (`dispatch`: the first line end of its blank line, which is `end` less the LF of a
 * final CRLF).
 */
function blocksOf(body) {
  const text = new TextDecoder('utf-8', {ignoreBOM: true}).decode(body);
  const starts = [];
  for (const match of text.matchAll(/(?<=^|[\r\n])id: (\d+)(?=\r\n|\r|\n)/g)) {
    if (Number(match[1]) === starts.length + 1) starts.push(match.index);
  }
  const encoder = new TextEncoder();
  const blocks = [];
  let byte = encoder.encode(text.slice(0, starts[0])).length;
  starts.forEach((start, index) => {
    const blockText = text.slice(start, starts[index + 1] ?? text.length);
    const blockBytes = encoder.encode(blockText).length;
    let dispatch = byte + blockBytes;
    let fields = false;
    for (const line of blockText.matchAll(/[^\r\n]*(?:\r\n|\r|\n)/g)) {
      if (/^[\r\n]/.test(line[0]) && fields) {
        dispatch = byte + encoder.encode(blockText.slice(0, line.index)).length + 1;
        break;
      }
      fields = true;
    }
    blocks.push({id: index + 1, dispatch, end: byte + blockBytes});
    byte += blockBytes;
  });
  return blocks;
}

/**
 * @param {object} harness
 * @param {Function} harness.describe
 * @param {Function} harness.it
 * @param {object} harness.assert
 * @param {typeof import('../../src/core/index.js')} harness.core
 * @param {() => string} harness.origin the test server's origin
 * @param {object} [harness.cases] how many cases: `faults` random breaks per fixture (200),
 *   `early` breaks before the first event (20), `chunkings` per fixture (200), `parallel` cases
 *   in flight at once (32; a browser sends 6 at a time to one origin anyway), and the
 *   `breakModes` drawn from (`reset` and `end`)
 */
export function defineFaultsSuite({describe, it, assert, core, origin, cases = {}}) {
  const {faults = 200, early = 20, chunkings = 200, parallel = 32, breakModes = ['reset', 'end']} = cases;
  const {streamChat} = core;
  const newProbe = () => `f${++probeCount}-${Math.random().toString(36).slice(2)}`;
  const query = (params) => new URLSearchParams(params).toString();
  const scenarioUrl = (scenario, params) => `${origin()}/sse/${scenario}?${query(params)}`;
  const requests = async (probe) => (await (await fetch(`${origin()}/sse-probe/${probe}`)).json()).requests;

  /** The fixture's answer to streamChat, served with `params`; waits cost nothing (jitter 0). */
  const chat = async ({scenario, options}, params, extra = {}) => {
    const {abortWhen, ...ending} = NEVER_ENDING[scenario] ?? {};
    const controller = new AbortController();
    const limit = setTimeout(() => controller.abort(new Error(`still running after ${CASE_LIMIT} ms`)), CASE_LIMIT);
    try {
      return await streamChat({
        url: scenarioUrl(scenario, params),
        token: 'test-token',
        body: {messages: MESSAGES},
        signal: controller.signal,
        timers: {random: () => 0},
        onUpdate: abortWhen && (({text}) => abortWhen(text) && controller.abort()),
        ...ending,
        ...options,
        ...extra,
      });
    } finally {
      clearTimeout(limit);
    }
  };

  /** The first of the failures, whose message counts them and names the seeds of the first ten. */
  const summary = (failures, total, what) => {
    const seeds = failures.slice(0, 10).map((error) => / seed (\d+)/.exec(error.message)?.[1]);
    failures[0].message = `${failures.length} of ${total} ${what} (seeds ${seeds.join(', ')}${failures.length > 10 ? ', …' : ''}); the first: ${failures[0].message}`;
    return failures[0];
  };

  /** Skips the running test, in node:test (its context `t`) or in Mocha (`this`). */
  const skip = (mocha, t, reason) => (t?.skip ? t.skip(reason) : mocha.skip());

  describe('streamChat: fault injection (a connection broken at a random byte, resumed)', () => {
    for (const fixture of fixtures().filter(({scenario}) => scenario in NOT_BROKEN || isEventStream(scenario))) {
      const {scenario, label} = fixture;
      const modes = ENDS_WITH_BODY.has(label) ? breakModes.filter((mode) => mode === 'reset') : breakModes;
      if (scenario in NOT_BROKEN || modes.length === 0) {
        it.skip(`${label}: not broken: ${NOT_BROKEN[scenario] ?? 'a format with no end marker is broken only by resets, and none are drawn here'}`, () => {});
        continue;
      }
      const breaks = Math.min(faults, FEWER_BREAKS[scenario] ?? faults);
      it(`${label}: ${breaks} random breaks (${modes.join(' and ')}, half of them twice) give the unbroken answer; ${early} before its first event, an error`, async function () {
        const t = arguments[0];
        const whole = await chat(fixture, {});
        if (whole.status !== 'done') return skip(this, t, `its answer ends ${whole.status} (${whole.error?.code}): not an answer to complete`);
        const expected = answerOf(whole);
        const served = {ids: '1', retryField: '0'};
        // The body as the breaks cut it: cut after its end, it ends there (without a fixture's `after`).
        const raw = await fetch(scenarioUrl(scenario, {...served, breakAt: 1e9, breakMode: 'end'}), {method: 'POST', body: '{}'});
        const body = new Uint8Array(await raw.arrayBuffer());
        const blocks = blocksOf(body);
        const length = body.length;
        assert.ok(blocks.length >= 2, `${label}: ${blocks.length} numbered events`);
        const first = blocks[0].dispatch;
        /** The blocks the core has whole after `bytes` bytes of the body: the last one's ID is where it resumes. */
        const completeAfter = (bytes) => blocks.filter((block) => block.dispatch <= bytes).length;
        // Where the answer is complete: from there on, a break ends it `done` without a resume
        // (found by breaking there with resumeAttempts 0; what text it gives is tested below).
        const finishedAfter = async (bytes) => (await chat(fixture, {...served, breakAt: bytes, breakMode: modes.at(-1), probe: newProbe()}, {resumeAttempts: 0})).status === 'done';
        let [low, high] = [first, length];
        while (low < high) {
          const middle = Math.floor((low + high) / 2);
          if (await finishedAfter(middle)) high = middle;
          else low = middle + 1;
        }
        const complete = low;

        const failures = [];
        const draws = Array.from({length: breaks}, (_, index) => {
          const seed = seedFor(`faults ${label}`, index);
          const random = mulberry32(seed);
          // Each mode in turn, once then twice: reset, end, reset twice, end twice, …
          const breakMode = modes[index % modes.length];
          const twice = Math.floor(index / modes.length) % 2 === 1;
          const at = [between(random, first, length - 1)];
          // A second break, in the resumed response (which starts after the last complete event),
          // after its first event: a new break, resumed again (none when that event is the last).
          const resumedFrom = blocks[completeAfter(at[0]) - 1].end;
          const next = blocks[completeAfter(at[0])];
          if (twice && next && next.dispatch < length) at.push(between(random, next.dispatch, length - 1) - resumedFrom);
          const breaks = at[0] >= complete ? [at[0]] : at.length === 1 ? at : [at[0], resumedFrom + at[1]];
          const resumes = breaks.filter((bytes) => bytes < complete).length;
          return {seed, breakMode, at, resumes, endedByBreak: breaks.at(-1) >= complete};
        });
        await inPool(draws, parallel, async ({seed, breakMode, at, resumes, endedByBreak}) => {
          const params = {...served, breakAt: at.join(','), breakMode};
          const result = await chat(fixture, {...params, probe: newProbe()});
          const where = `${label}, seed ${seed}: /sse/${scenario}?${query(params)}`;
          try {
            assert.strictEqual(result.text, expected.text, `text differs (${where})`);
            // A break after the answer completed loses only what came after it (a usage chunk).
            const {usage, ...rest} = answerOf(result);
            const {usage: wholeUsage, ...wholeRest} = expected;
            assert.deepEqual(rest, wholeRest, `result differs (${where})`);
            if (!endedByBreak || usage !== null) assert.deepEqual(usage, wholeUsage, `usage differs (${where})`);
            assert.strictEqual(result.timing.resumed, resumes, `resumed ${result.timing.resumed} times, not ${resumes} (${where})`);
          } catch (error) {
            failures.push(error);
          }
        });

        // Breaks before the core has any event whole: nothing to resume from, an error.
        const earlyDraws = first > 1 ? Array.from({length: early}, (_, index) => ({seed: seedFor(`early ${label}`, index), breakMode: modes[index % modes.length]})) : [];
        await inPool(earlyDraws, parallel, async ({seed, breakMode}) => {
          const params = {...served, breakAt: between(mulberry32(seed), 1, first - 1), breakMode};
          const probe = newProbe();
          const result = await chat(fixture, {...params, probe});
          const where = `${label}, seed ${seed}: /sse/${scenario}?${query(params)}`;
          try {
            assert.deepEqual([result.status, result.text, result.timing.resumed, await requests(probe)], ['error', '', 0, 1], `a break before the first event (${where})`);
            // A reset is the connection lost; a clean end is a truncated stream, or, when its
            // last line was cut to a few letters that are no SSE field, a body of no events.
            const codes = breakMode === 'reset' ? ['connection_lost'] : ['truncated', 'invalid_response'];
            assert.ok(codes.includes(result.error.code), `${result.error.code} is none of ${codes} (${where})`);
          } catch (error) {
            failures.push(error);
          }
        });
        if (failures.length > 0) throw summary(failures, draws.length + earlyDraws.length, 'cases failed');
      });
    }
  });

  describe('streamChat: property (random chunkings give the same result)', () => {
    for (const fixture of fixtures()) {
      const {scenario, label} = fixture;
      if (scenario in NOT_CHUNKED) {
        it.skip(`${label}: not chunked: ${NOT_CHUNKED[scenario]}`, () => {});
        continue;
      }
      const count = Math.min(chunkings, FEWER_CHUNKINGS[scenario] ?? chunkings);
      it(`${label}: ${count} random chunkings give the result of the whole body`, async () => {
        const expected = answerOf(await chat(fixture, {}));
        const failures = [];
        const seeds = Array.from({length: count}, (_, index) => seedFor(`chunks ${label}`, index));
        // The fixtures that end on a timeout spend their time waiting: more of them at once.
        const limit = scenario in NEVER_ENDING ? parallel * 4 : parallel;
        await inPool(seeds, limit, async (seed) => {
          const params = {split: `random-${seed}`};
          const result = answerOf(await chat(fixture, params));
          try {
            assert.deepEqual(result, expected, `${label}, seed ${seed}: /sse/${scenario}?${query(params)}`);
          } catch (error) {
            failures.push(error);
          }
        });
        if (failures.length > 0) throw summary(failures, count, 'chunkings differ');
      });
    }
  });
}
