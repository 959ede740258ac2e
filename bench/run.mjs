// `npm run bench`: streams synthetic OpenAI answers from a local server into headless Chromium
// and prints medians over interleaved runs, beside baselines measured in the same run and the
// issue's targets, then restores long conversations (bench/restore.mjs). A script, not a test: it
// prints figures and asserts nothing.
import {execFileSync} from 'node:child_process';
import {readFile} from 'node:fs/promises';
import {createServer} from 'node:http';
import {extname, join, normalize} from 'node:path';
import {gzipSync} from 'node:zlib';
import {launchChromium} from '../test/e2e/browser.js';
import {medians} from './main-thread.mjs';
import {benchRestore} from './restore.mjs';

const ROOT = new URL('..', import.meta.url).pathname;
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
/** A build of the element to measure beside this one in the restore rows (say, `dist/chat-stream.bundle.js` of an earlier commit). */
const BASELINE = process.env.BENCH_BASELINE;
/** `stream` or `restore` runs only that part. */
const ONLY = process.env.BENCH_ONLY;
/** The steady runs are short and the floor's frame count varies between them: more runs. */
const STEADY_RUNS = Math.max(RUNS, 7);
const PIECES = ['Streaming ', 'answers ', '流式', '输出 ', '👋🏽 ', '**bold** ', '`code` ', 'and *more*', '.\n', '\n- item ', 'one\n', '## Heading\n', '| a | b |\n', 'plain ', 'text '];

function chunkEvent(content) {
  return `data: {"id":"chatcmpl-b","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":${JSON.stringify(content)}},"finish_reason":null}]}\n\n`;
}

/** N chunks of mixed English, Chinese, emoji and Markdown; `rate` chunks per second, or as fast as the socket takes them. */
async function serveStream(res, chunks, rate) {
  res.writeHead(200, {'content-type': 'text/event-stream', 'cache-control': 'no-cache'});
  let closed = false;
  res.on('close', () => (closed = true));
  const events = Array.from({length: chunks}, (_, i) => chunkEvent(PIECES[i % PIECES.length]));
  if (rate > 0) {
    const started = Date.now();
    for (let i = 0; i < chunks && !closed; i++) {
      const due = started + (i * 1000) / rate;
      if (due > Date.now()) await new Promise((resolve) => setTimeout(resolve, due - Date.now()));
      res.write(events[i]);
    }
  } else {
    // Network-sized writes of about 4 KB.
    for (let i = 0; i < chunks && !closed; i += 25) {
      res.write(events.slice(i, i + 25).join(''));
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  res.end(`data: {"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}\n\ndata: [DONE]\n\n`);
}

const TYPES = {'.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript'};
const server = createServer(async (req, res) => {
  const url = new URL(req.url, 'http://localhost');
  if (url.pathname === '/stream') return serveStream(res, Number(url.searchParams.get('n')), Number(url.searchParams.get('rate') ?? 0));
  if (url.pathname === '/baseline.bundle.js' && BASELINE) return res.writeHead(200, {'content-type': TYPES['.js']}).end(await readFile(BASELINE));
  const file = normalize(join(ROOT, url.pathname));
  if (!file.startsWith(ROOT)) return res.writeHead(403).end();
  const body = await readFile(file).catch(() => null);
  if (!body) return res.writeHead(404).end();
  res.writeHead(200, {'content-type': TYPES[extname(file)] ?? 'application/octet-stream'}).end(body);
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const origin = `http://127.0.0.1:${server.address().port}`;
const browser = await launchChromium();

/** One run of one contender in a fresh page: timings, CDP main-thread metrics, long tasks. */
async function runOnce(contender, chunks, rate = 0) {
  const page = await browser.newPage();
  try {
    await page.goto(`${origin}/bench/page.html`);
    await page.waitForFunction(() => window.benchReady && customElements.get('chat-stream'));
    await page.evaluate((name) => window.setup(name), contender);
    const cdp = await page.createCDPSession();
    await cdp.send('Performance.enable');
    const metrics = async () => Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map(({name, value}) => [name, value]));
    const before = await metrics();
    const since = await page.evaluate(() => performance.now());
    const timing = await page.evaluate((name, url) => window.contenders[name](url), contender, `/stream?n=${chunks}&rate=${rate}`);
    const after = await metrics();
    await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 100)));
    const longTasks = await page.evaluate((start) => window.runLongTasks(start), since);
    const seconds = (name) => (after[name] - before[name]) * 1000;
    return {...timing, main: seconds('TaskDuration'), layout: seconds('LayoutDuration'), style: seconds('RecalcStyleDuration'), longTasks};
  } finally {
    await page.close();
  }
}

/** Interleaved runs: every contender once per round, so drift hits all alike. */
async function measure(contenders, chunks, rate = 0, rounds = RUNS) {
  const runs = Object.fromEntries(contenders.map((name) => [name, []]));
  for (let round = 0; round < rounds; round++) for (const name of contenders) runs[name].push(await runOnce(name, chunks, rate));
  return Object.fromEntries(contenders.map((name) => [name, medians(runs[name])]));
}

const ms = (value) => (value === undefined ? '—' : value.toFixed(0));
const ratio = (value) => `${value.toFixed(2)}×`;
const started = Date.now();
console.log(`chat-stream bench: Chromium headless, median of ${RUNS} interleaved runs per cell\n`);

/** The streaming rows: the element beside the baselines, at 2,000 and 20,000 chunks and at a steady rate. */
async function streamingBench() {
  const results = {};
  for (const chunks of [2000, 20000]) {
    const contenders = chunks === 2000 ? ['element', 'floor', 'paragraphs', 'textContent', 'marked'] : ['element', 'floor', 'paragraphs', 'textContent'];
    results[chunks] = await measure(contenders, chunks);
  }
  console.log('| chunks | contender | total ms | main-thread ms | layout ms | style ms | long tasks > 50 ms | first byte → first paint ms | main / floor | main / paragraph floor |');
  console.log('|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const chunks of [2000, 20000]) {
    const {floor, paragraphs} = results[chunks];
    for (const [name, r] of Object.entries(results[chunks])) {
      console.log(`| ${chunks} | ${name} | ${ms(r.total)} | ${ms(r.main)} | ${ms(r.layout)} | ${ms(r.style)} | ${r.longTasks} | ${ms(r.firstPaint)} | ${ratio(r.main / floor.main)} | ${ratio(r.main / paragraphs.main)} |`);
    }
    if (chunks === 20000) console.log('| 20000 | marked | not run: the whole text re-parsed per chunk is quadratic (about 100× the 2,000 cost) | | | | | | | |');
  }

  const steady = await measure(['element', 'floor', 'paragraphs', 'parse'], 1000, 200, STEADY_RUNS);
  console.log(`\nSteady 200 chunks per second (1,000 chunks, median of ${STEADY_RUNS} runs):`);
  console.log(`| contender | main-thread ms | long tasks > 50 ms | main / floor | main / paragraph floor |\n|---|---:|---:|---:|---:|`);
  for (const [name, r] of Object.entries(steady)) {
    console.log(`| ${name === 'parse' ? 'parse only, nothing rendered' : name} | ${ms(r.main)} | ${r.longTasks} | ${ratio(r.main / steady.floor.main)} | ${ratio(r.main / steady.paragraphs.main)} |`);
  }
  return {results, steady};
}

const streaming = ONLY === 'restore' ? null : await streamingBench();
if (ONLY !== 'stream') {
  const bundles = {element: '/dist/chat-stream.bundle.js', ...(BASELINE ? {baseline: '/baseline.bundle.js'} : {})};
  console.log(`\n${await benchRestore({browser, origin, runs: RUNS, bundles})}`);
}

await browser.close();
server.close();

if (streaming) {
  const {results, steady} = streaming;
  const perChunk = (chunks) => results[chunks].element.main / chunks;
  const linearity = perChunk(20000) / perChunk(2000);
  const bundle = gzipSync(await readFile(join(ROOT, 'dist/chat-stream.bundle.js')), {level: 9}).length;
  const core = execFileSync(process.execPath, [join(ROOT, 'bench/core.mjs')], {encoding: 'utf8'});
  const coreRatio = Number(/\| 200000 \|[^|]*\|[^|]*\|[^|]*\|[^|]*\|[^|]*\| ([\d.]+)×/.exec(core)?.[1]);

  console.log('\nTargets (issue 5):');
  const rows = [
    ['main-thread at 20,000 chunks, Markdown on / careful floor', ratio(results[20000].element.main / results[20000].floor.main), '≤ 1.0×'],
    ['main-thread at a steady 200 chunks/s / careful floor', ratio(steady.element.main / steady.floor.main), '≤ 0.3×'],
    ['long tasks > 50 ms while streaming (element, 20,000 chunks)', String(results[20000].element.longTasks), '0'],
    ['per-chunk main-thread cost at 20,000 / at 2,000 (element)', ratio(linearity), '≤ 1.3×'],
    ['core parse throughput / raw eventsource-parser + JSON.parse (Node, 200,000 chunks)', Number.isFinite(coreRatio) ? `${((1 / coreRatio) * 100).toFixed(0)}%` : 'n/a', '≥ 90%'],
    ['single-file bundle, min+gzip', `${(bundle / 1024).toFixed(1)} KB (${bundle} bytes)`, '≤ 16 KB'],
  ];
  console.log('| measure | measured | target |\n|---|---:|---:|');
  for (const [what, measured, target] of rows) console.log(`| ${what} | ${measured} | ${target} |`);
  console.log(`\nCore in Node (bench/core.mjs):\n${core.trim().split('\n').slice(2).join('\n')}`);
}
console.log(`\nBench took ${((Date.now() - started) / 1000).toFixed(0)} s.`);
