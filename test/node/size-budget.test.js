// The single-file bundle's size budget, min+gzip (level 9), of dist/chat-stream.bundle.js as
// `npm test` builds it. The budget is what the issues bought: 21 KB for the first element, then
// persistence (issue 15), tools and attachments (issue 16: 45,079 → 54,445 bytes), reasoning
// (issue 20: 54,477 → 57,910) and long conversations (issue 19: → 59,743). 60 KiB leaves about
// 1.7 KB for fixes; a feature that needs more raises the budget in its own change, saying what
// the bytes bought (docs/install.md, "Size").
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {test} from 'node:test';
import {gzipSync} from 'node:zlib';

const BUDGET = 61_440;

test(`the bundle is at most ${BUDGET} bytes min+gzip`, () => {
  const bundle = readFileSync(new URL('../../dist/chat-stream.bundle.js', import.meta.url));

  const size = gzipSync(bundle, {level: 9}).length;

  assert.ok(size <= BUDGET, `dist/chat-stream.bundle.js is ${size} bytes min+gzip, over its budget of ${BUDGET} bytes (60 KiB) by ${size - BUDGET}`);
});
