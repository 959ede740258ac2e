// The streaming rows of `npm run bench`: every contender of bench/page.html streams the same
// synthetic answer, in a fresh page per run, in interleaved rounds; each cell is the median of its
// runs, and each ratio the median of the ratios taken within a round against the paragraph floor.
import {existsSync} from 'node:fs';
import {join} from 'node:path';
import {medians} from './main-thread.mjs';
import {selfTimeBySource, startProfile} from './profile.mjs';
import {KIND_NAMES, TIMELINE_CATEGORIES, timelineBreakdown} from './trace.mjs';

/**
 * Each contender of bench/page.html (where a comment says exactly what it does), by the name the
 * tables give it. The paragraph floor is the baseline: fetch, eventsource-parser and JSON.parse in
 * the page, no code of ours, each delta appended to the current paragraph's text node, a new <p>
 * at each blank line, waiting for a frame whenever one is due. The other baselines read the same
 * way and differ in what they draw: one text node for the whole answer, the whole text as
 * textContent per delta, marked + DOMPurify of the whole text per delta, streaming-markdown's
 * parser_write per delta. The element streams through its own core; "parse only" draws nothing.
 */
export const LABELS = {
  element: '`<chat-stream>`, Markdown on',
  paragraphs: 'paragraph floor',
  singleTextNode: 'single text node',
  textContent: 'textContent',
  marked: 'marked + DOMPurify',
  streamingMarkdown: 'streaming-markdown',
  parse: 'parse only (our core), nothing rendered',
  rawParse: 'parse only (eventsource-parser), nothing rendered',
};
const FLOOR = 'paragraphs';
const ROWS = {
  2000: ['element', 'paragraphs', 'singleTextNode', 'textContent', 'marked', 'streamingMarkdown'],
  20000: ['element', 'paragraphs', 'singleTextNode', 'textContent', 'streamingMarkdown'],
};
const STEADY = {chunks: 1000, rate: 200, contenders: ['element', 'paragraphs', 'parse', 'rawParse']};
/** A run that has not painted its end by then has failed (textContent at 20,000 chunks takes 10–20 s). */
const RUN_LIMIT_MS = 120000;
/** How many sources the profile's table lists. */
const SOURCES = 12;
/** Chat elements measured when a page has installed them; this repository does not depend on them. */
const OPTIONAL = {'deep-chat': 'node_modules/deep-chat', nlux: 'node_modules/@nlux'};

/**
 * Runs the streaming scenarios and resolves with their tables (Markdown lines) and the figures the
 * targets are read from. `runs` rounds at 2,000 and 20,000 chunks; at least 7 for the steady
 * rate, whose short runs vary with how many frames the floor gets.
 */
export async function benchStreaming({browser, origin, root, runs}) {
  /**
   * One run of one contender in a fresh page: timings, CDP main-thread metrics, long tasks; with
   * `trace`, the trace's breakdown too; with `profile`, a CPU profile.
   */
  async function runOnce(contender, chunks, rate = 0, {trace = false, profile = false} = {}) {
    const page = await browser.newPage();
    try {
      await page.goto(`${origin}/bench/page.html`);
      await page.waitForFunction(() => window.benchReady && customElements.get('chat-stream'));
      await page.evaluate((name) => window.setup(name), contender);
      const cdp = await page.createCDPSession();
      await cdp.send('Performance.enable');
      const metrics = async () => Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map(({name, value}) => [name, value]));
      if (trace) await page.tracing.start({categories: TIMELINE_CATEGORIES});
      const stopProfile = profile ? await startProfile(cdp) : null;
      const sync = trace ? await page.evaluate(() => window.syncMark()) : 0;
      const before = await metrics();
      const since = await page.evaluate(() => performance.now());
      const timing = await page.evaluate(
        (name, url, limit) => Promise.race([window.contenders[name](url), new Promise((resolve, reject) => setTimeout(() => reject(new Error(`no end painted after ${limit / 1000} s`)), limit))]),
        contender,
        `/stream?n=${chunks}&rate=${rate}`,
        RUN_LIMIT_MS,
      );
      const until = await page.evaluate(() => performance.now());
      const after = await metrics();
      const traced = {
        ...(trace ? {breakdown: timelineBreakdown(await page.tracing.stop(), sync, since, until)} : {}),
        ...(profile ? {profile: await stopProfile()} : {}),
      };
      await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 100)));
      const longTasks = await page.evaluate((start) => window.runLongTasks(start), since);
      const ms = (name) => (after[name] - before[name]) * 1000;
      return {...timing, main: ms('TaskDuration'), layout: ms('LayoutDuration'), style: ms('RecalcStyleDuration'), layouts: after.LayoutCount - before.LayoutCount, ...longTasks, ...traced};
    } finally {
      await page.close();
    }
  }

  /** `runOnce`, or `{failed}` naming why it failed: one contender that breaks leaves the others' rows. */
  async function attempt(contender, ...options) {
    try {
      return await runOnce(contender, ...options);
    } catch (error) {
      console.error(`bench: ${LABELS[contender]} failed: ${error.message}`);
      return {failed: error.message.split('\n')[0]};
    }
  }

  /**
   * Interleaved rounds, every contender once per round so that drift hits all alike; the medians
   * by contender over the runs that did not fail, with the in-round ratios to the floor (none in a
   * round whose floor failed), or `{failed}` when every run failed.
   */
  async function measure(contenders, chunks, rate = 0, rounds = runs) {
    const results = Object.fromEntries(contenders.map((name) => [name, []]));
    const failures = {};
    for (let round = 0; round < rounds; round++) {
      const row = {};
      for (const name of contenders) row[name] = await attempt(name, chunks, rate);
      const floor = row[FLOOR].failed ? {} : row[FLOOR];
      for (const name of contenders) {
        const run = row[name];
        if (run.failed) failures[name] = run.failed;
        else results[name].push({...run, ratio: run.main / floor.main, firstPaintOverFloor: run.firstPaint - floor.firstPaint});
      }
    }
    return Object.fromEntries(contenders.map((name) => [name, results[name].length ? medians(results[name]) : {failed: failures[name]}]));
  }
  /** A table row for a contender whose every run failed. */
  const failedRow = (cells, failed, columns) => `| ${cells.join(' | ')} | failed: ${failed} |${' |'.repeat(columns - cells.length - 1)}`;

  const lines = [];
  const results = {};
  for (const chunks of [2000, 20000]) results[chunks] = await measure(ROWS[chunks], chunks);
  lines.push(
    `Streaming as fast as the socket takes it (about 4 KB writes; median of ${runs} interleaved runs; main / paragraph floor is the median of the ratios within each round):`,
    '',
    '| chunks | contender | total ms | main-thread ms | layout ms | style ms | layouts | long tasks > 50 ms (longest ms) | first byte → first paint ms | main / paragraph floor |',
    '|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|',
  );
  for (const chunks of [2000, 20000]) {
    for (const [name, r] of Object.entries(results[chunks])) {
      if (r.failed) lines.push(failedRow([chunks, LABELS[name]], r.failed, 10));
      else lines.push(`| ${chunks} | ${LABELS[name]} | ${ms(r.total)} | ${ms(r.main)} | ${ms(r.layout)} | ${ms(r.style)} | ${r.layouts} | ${r.longTasks} (${ms(r.longest)}) | ${ms(r.firstPaint)} | ${ratio(r.ratio)} |`);
    }
    if (chunks === 20000) lines.push(`| 20000 | ${LABELS.marked} | not run: it re-parses the whole text per delta, quadratic (about 100× its 2,000-chunk cost) | | | | | | | |`);
  }
  for (const [name, path] of Object.entries(OPTIONAL)) {
    if (!existsSync(join(root, path))) lines.push(`| — | ${name} | not installed, not run | | | | | | | |`);
    else lines.push(`| — | ${name} | installed, but the bench has no contender for it yet: not run | | | | | | | |`);
  }

  const steadyRuns = Math.max(runs, 7);
  const steady = await measure(STEADY.contenders, STEADY.chunks, STEADY.rate, steadyRuns);
  lines.push(
    '',
    `Steady ${STEADY.rate} chunks per second (${STEADY.chunks.toLocaleString('en')} chunks, median of ${steadyRuns} interleaved runs):`,
    '',
    '| contender | main-thread ms | layouts | long tasks > 50 ms | main / paragraph floor |',
    '|---|---:|---:|---:|---:|',
  );
  for (const [name, r] of Object.entries(steady)) lines.push(r.failed ? failedRow([LABELS[name]], r.failed, 5) : `| ${LABELS[name]} | ${ms(r.main)} | ${r.layouts} | ${r.longTasks} | ${ratio(r.ratio)} |`);

  // One traced round: tracing costs time of its own, so these runs are not the ones above.
  const traced = {};
  for (const name of ['element', FLOOR]) traced[name] = await attempt(name, 20000, 0, {trace: true});
  lines.push(
    '',
    'Where the main thread goes at 20,000 chunks (one traced run each, slower than untraced; self time of the trace events, ms; the time-slice tasks are those that ran a timer or a message event):',
    '',
    `| contender | ${KIND_NAMES.join(' | ')} | total | tasks (ms) | timer tasks (ms) | message tasks (ms) |`,
    `|---|${KIND_NAMES.map(() => '---:|').join('')}---:|---:|---:|---:|`,
  );
  for (const [name, {failed, breakdown}] of Object.entries(traced)) {
    if (failed) {
      lines.push(failedRow([LABELS[name]], failed, KIND_NAMES.length + 5));
      continue;
    }
    const {byKind, tasks} = breakdown;
    const total = KIND_NAMES.reduce((sum, kind) => sum + byKind[kind], 0);
    lines.push(
      `| ${LABELS[name]} | ${KIND_NAMES.map((kind) => ms(byKind[kind])).join(' | ')} | ${ms(total)} | ${tasks.all} (${ms(tasks.allMs)}) | ${tasks.timer} (${ms(tasks.timerMs)}) | ${tasks.message} (${ms(tasks.messageMs)}) |`,
    );
  }
  // Profiled apart from the trace: tracing's own cost would be charged to the functions it records.
  const {profile, failed} = await attempt('element', 20000, 0, {profile: true});
  const sources = failed ? [[`failed: ${failed}`, NaN]] : await selfTimeBySource(profile, {bundle: '/dist/chat-stream.bundle.js', mapFile: join(root, 'dist/chat-stream.bundle.js.map')});
  lines.push(
    '',
    `The element's main thread by source at 20,000 chunks (one run, CPU profile, self time; "(program)" is the browser's own work, DOM calls by name; the ${SOURCES} longest):`,
    '',
    '| source | ms |',
    '|---|---:|',
    ...sources.slice(0, SOURCES).map(([source, time]) => `| ${source} | ${ms(time)} |`),
  );
  return {lines, results, steady};
}

/** The targets, each beside its figure from this run with PASS or MISS (n/a when a run it needs failed). */
export function targetLines({results, steady}) {
  const at20k = results[20000].element;
  const linearity = (results[20000].element.main / 20000) / (results[2000].element.main / 2000);
  const signed = (value) => `${value >= 0 ? '+' : ''}${value.toFixed(1)} ms`;
  const rows = [
    ['element main-thread at 20,000 chunks, Markdown on / paragraph floor', at20k.ratio, ratio, '≤ 1.0×', (value) => value <= 1],
    ['long tasks > 50 ms, element at 20,000 chunks', at20k.longTasks, (count) => `${count} (longest ${ms(at20k.longest)} ms)`, '0', (count) => count === 0],
    [`element main-thread at a steady ${STEADY.rate} chunks/s / paragraph floor`, steady.element.ratio, ratio, '≤ 0.5×', (value) => value <= 0.5],
    ...[2000, 20000].map((chunks) => [
      `first byte → first paint, element − paragraph floor (${chunks.toLocaleString('en')} chunks)`,
      results[chunks].element.firstPaintOverFloor,
      signed,
      '≤ 16.7 ms (one frame)',
      (value) => value <= 1000 / 60,
    ]),
    ['element main-thread per chunk, at 20,000 / at 2,000', linearity, ratio, '≤ 1.3×', (value) => value <= 1.3],
  ];
  const known = (value) => typeof value === 'number' && !Number.isNaN(value);
  return [
    '| target | measured | limit | |',
    '|---|---:|---:|---|',
    ...rows.map(([what, value, format, limit, met]) => (known(value) ? `| ${what} | ${format(value)} | ${limit} | ${met(value) ? 'PASS' : 'MISS'} |` : `| ${what} | — | ${limit} | n/a |`)),
  ];
}

const ms = (value) => (value === undefined || Number.isNaN(value) ? '—' : value.toFixed(0));
const ratio = (value) => (value === undefined || Number.isNaN(value) ? '—' : `${value.toFixed(2)}×`);
