// `npm run bench`: streams synthetic OpenAI answers from a local server (bench/server.mjs) into
// headless Chromium and prints medians over interleaved runs beside baselines measured in the same
// run, with the targets (bench/streaming.mjs, the contenders in bench/page.html); then
// restores long conversations (bench/restore.mjs) and measures the core alone in Node
// (bench/core.mjs) and the bundle. A script, not a test: it prints figures and asserts nothing.
//
// BENCH_RUNS: rounds per cell (3). BENCH_ONLY: the parts to run, comma-separated, of `stream`
// (the streaming rows, targets and trace), `restore` and `core` (all of them by default).
// BENCH_BASELINE: another build of the bundle to measure beside this one in the restore rows.
import {execFileSync} from 'node:child_process';
import {readFile} from 'node:fs/promises';
import {join} from 'node:path';
import {gzipSync} from 'node:zlib';
import {launchChromium} from '../test/e2e/browser.js';
import {benchRestore} from './restore.mjs';
import {startBenchServer} from './server.mjs';
import {benchStreaming, targetLines} from './streaming.mjs';

const ROOT = new URL('..', import.meta.url).pathname;
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const BASELINE = process.env.BENCH_BASELINE;
const PARTS = new Set((process.env.BENCH_ONLY ?? 'stream,restore,core').split(',').map((part) => part.trim()));
for (const part of PARTS) if (!['stream', 'restore', 'core'].includes(part)) throw new Error(`BENCH_ONLY: no part named "${part}" (stream, restore, core)`);

const started = Date.now();
console.log(`chat-stream bench: Chromium headless, median of ${RUNS} interleaved runs per cell\n`);
const server = await startBenchServer({root: ROOT, baseline: BASELINE});
const browser = await launchChromium();
try {
  if (PARTS.has('stream')) {
    const streaming = await benchStreaming({browser, origin: server.origin, root: ROOT, runs: RUNS});
    console.log(`${streaming.lines.join('\n')}\n\nTargets:\n\n${targetLines(streaming).join('\n')}`);
  }
  if (PARTS.has('restore')) {
    const bundles = {element: '/dist/chat-stream.bundle.js', ...(BASELINE ? {baseline: '/baseline.bundle.js'} : {})};
    console.log(`\n${await benchRestore({browser, origin: server.origin, runs: RUNS, bundles})}`);
  }
} finally {
  await browser.close();
  server.close();
}
if (PARTS.has('core')) {
  const core = execFileSync(process.execPath, [join(ROOT, 'bench/core.mjs')], {encoding: 'utf8'});
  console.log(`\nCore in Node (bench/core.mjs):\n${core.trim()}`);
}
const bundle = gzipSync(await readFile(join(ROOT, 'dist/chat-stream.bundle.js')), {level: 9}).length;
console.log(`\nSingle-file bundle: ${bundle.toLocaleString('en')} bytes min+gzip.`);
console.log(`Bench took ${((Date.now() - started) / 1000).toFixed(0)} s.`);
