// The restore rows of `npm run bench`: a long conversation of realistic Markdown
// (test/fixtures/long-conversation.js) restored through `messages` and through a reload with
// `persist="local"`, then a question sent and an answer streamed after it, each in a fresh page,
// beside the same figures for another build of the element (`BENCH_BASELINE`) when one is given.
import {busyTime, longestTask, mainThreadTasks, medians, TRACE_CATEGORIES} from './main-thread.mjs';

const PAIRS = [100, 400, 1000];
/** The answer streamed after the conversation: as many chunks as the issue's. */
const STREAM_CHUNKS = 8000;
/** How long after the whole conversation is in the page its work still counts (slices, layout). */
const SETTLE_MS = 500;

/**
 * Runs the restore and streaming scenarios, `runs` interleaved rounds each, and resolves with
 * their rows as Markdown tables. `bundles` maps each contender's name to the URL of its build.
 */
export async function benchRestore({browser, origin, runs, bundles}) {
  const names = Object.keys(bundles);

  async function open(name) {
    const page = await browser.newPage();
    await page.goto(`${origin}/bench/page.html?bundle=${encodeURIComponent(bundles[name])}`);
    await ready(page);
    return page;
  }

  /** Traces what `act` does in the page: resolves with its result and the page's main-thread tasks meanwhile. */
  async function traced(page, act) {
    await page.tracing.start({categories: TRACE_CATEGORIES});
    const sync = await page.evaluate(() => window.syncMark());
    const result = await act();
    return {result, tasks: mainThreadTasks(await page.tracing.stop(), sync)};
  }

  async function restoreOnce(name, via, pairs) {
    const page = await open(name);
    try {
      if (via === 'persist') {
        await page.evaluate((count) => window.store(count), pairs);
        await page.reload();
        await ready(page);
      } else await page.evaluate(() => window.setup('element'));
      const {result, tasks} = await traced(page, async () => {
        const times = await page.evaluate((how, count) => window.restore(how, count), via, pairs);
        return {...times, end: await page.evaluate((ms) => new Promise((resolve) => setTimeout(() => resolve(performance.now()), ms)), SETTLE_MS)};
      });
      const cdp = await page.createCDPSession();
      await cdp.send('HeapProfiler.collectGarbage');
      await cdp.send('Performance.enable');
      const {metrics} = await cdp.send('Performance.getMetrics');
      const {nodes} = await cdp.send('Memory.getDOMCounters');
      return {
        laidOut: result.laidOut,
        newest: result.newest ?? Infinity,
        all: result.all,
        longest: longestTask(tasks, result.start, result.end),
        main: busyTime(tasks, result.start, result.end),
        heap: metrics.find((metric) => metric.name === 'JSHeapUsedSize').value / 2 ** 20,
        nodes,
      };
    } finally {
      await page.close();
    }
  }

  async function streamOnce(name, pairs) {
    const page = await open(name);
    try {
      await page.evaluate(() => window.setup('element'));
      if (pairs > 0) await page.evaluate((count) => window.restore('messages', count), pairs);
      await page.evaluate((ms) => new Promise((resolve) => setTimeout(resolve, ms)), SETTLE_MS);
      const {result, tasks} = await traced(page, () => page.evaluate((url) => window.ask(url), `/stream?n=${STREAM_CHUNKS}`));
      const {start, firstByte, end} = result;
      return {send: longestTask(tasks, start, firstByte), main: busyTime(tasks, firstByte, end), longest: longestTask(tasks, firstByte, end)};
    } finally {
      await page.close();
    }
  }

  /** Every contender once per round, so that drift hits all alike; the medians by contender. */
  async function rounds(run) {
    const results = Object.fromEntries(names.map((name) => [name, []]));
    for (let round = 0; round < runs; round++) for (const name of names) results[name].push(await run(name));
    return Object.fromEntries(names.map((name) => [name, medians(results[name])]));
  }

  // Never scrolled to the end within 5 s.
  const ms = (value) => (Number.isFinite(value) ? value.toFixed(0) : 'never');
  const lines = [
    `Restoring a conversation (median of ${runs} runs; from the assignment or the mount; main thread until ${SETTLE_MS} ms after the whole conversation is in the page; heap after a garbage collection):`,
    '| pairs | restored through | contender | newest answer laid out ms | newest answer on screen, scrolled to the end ms | whole conversation in the page ms | longest task ms | main-thread ms | JS heap MB | DOM nodes |',
    '|---:|---|---|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const pairs of PAIRS) {
    for (const via of ['messages', 'persist']) {
      const results = await rounds((name) => restoreOnce(name, via, pairs));
      for (const [name, r] of Object.entries(results)) {
        lines.push(`| ${pairs} | ${via === 'persist' ? 'reload, `persist="local"`' : '`messages`'} | ${name} | ${ms(r.laidOut)} | ${ms(r.newest)} | ${ms(r.all)} | ${ms(r.longest)} | ${ms(r.main)} | ${r.heap.toFixed(1)} | ${r.nodes} |`);
      }
    }
  }

  lines.push(
    '',
    `Sending after 1,000 pairs, and streaming a ${STREAM_CHUNKS.toLocaleString('en')}-chunk answer (main thread from the answer's first byte to its end painted), beside the same into an empty conversation in the same run:`,
    '| contender | pairs before | longest task, send → first byte ms | main-thread ms while streaming | longest task while streaming ms | main / empty conversation |',
    '|---|---:|---:|---:|---:|---:|',
  );
  // Both streams in each round: their ratio is taken within a run, then its median.
  const streams = await rounds(async (name) => {
    const [empty, long] = [await streamOnce(name, 0), await streamOnce(name, 1000)];
    return {emptySend: empty.send, emptyMain: empty.main, emptyLongest: empty.longest, send: long.send, main: long.main, longest: long.longest, ratio: long.main / empty.main};
  });
  for (const [name, r] of Object.entries(streams)) {
    lines.push(`| ${name} | 0 | ${ms(r.emptySend)} | ${ms(r.emptyMain)} | ${ms(r.emptyLongest)} | 1.00× |`);
    lines.push(`| ${name} | 1000 | ${ms(r.send)} | ${ms(r.main)} | ${ms(r.longest)} | ${r.ratio.toFixed(2)}× |`);
  }
  return lines.join('\n');
}

const ready = (page) => page.waitForFunction(() => window.benchReady && customElements.get('chat-stream'));
