// Every relative link in the docs reaches a file, and every `#anchor` a heading of that file, by
// GitHub's slug rules: the README and the pages it sends a newcomer to must not lead nowhere.
import assert from 'node:assert/strict';
import {existsSync, readdirSync, readFileSync} from 'node:fs';
import {dirname, join, relative, resolve} from 'node:path';
import {describe, it} from 'node:test';
import {fileURLToPath} from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const PAGES = ['README.md', 'CONTRIBUTING.md', 'CHANGELOG.md', ...readdirSync(join(ROOT, 'docs')).filter((name) => name.endsWith('.md')).map((name) => `docs/${name}`)];

/** The lines of a Markdown text outside fenced code blocks. */
function proseLines(markdown) {
  const lines = [];
  let fence = null;
  for (const line of markdown.split('\n')) {
    // A backtick fence's info string has no backtick: a line like ```` ```json ```` is a code span.
    const marker = /^ {0,3}(`{3,}(?=[^`]*$)|~{3,})/.exec(line)?.[1];
    if (fence) {
      if (marker && marker[0] === fence[0] && marker.length >= fence.length && !line.trim().slice(marker.length).trim()) fence = null;
    } else if (marker) fence = marker;
    else lines.push(line);
  }
  return lines;
}

/** A heading's anchor as GitHub makes it: its text, lower-cased, without punctuation, spaces as hyphens. */
function slug(heading) {
  // Code spans keep their text as written; outside them, links keep their label and tags go.
  const text = heading
    .split(/(`+[^`]*`+)/)
    .map((part, index) => (index % 2 ? part.replace(/`/g, '') : part.replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1').replace(/<[^>]+>/g, '')))
    .join('');
  return text.toLowerCase().replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '').replace(/ /g, '-');
}

/** The anchors of a Markdown file's headings; a repeated one gets `-1`, `-2`, … as on GitHub. */
function anchorsOf(markdown) {
  const anchors = new Set();
  for (const line of proseLines(markdown)) {
    const heading = /^ {0,3}#{1,6} +(.*?)(?: +#+)? *$/.exec(line)?.[1];
    if (heading === undefined) continue;
    const base = slug(heading);
    let anchor = base;
    for (let repeat = 1; anchors.has(anchor); repeat += 1) anchor = `${base}-${repeat}`;
    anchors.add(anchor);
  }
  return anchors;
}

/** The relative link targets of a Markdown file (inline links and images, outside code). */
function linksOf(markdown) {
  const links = [];
  for (const line of proseLines(markdown)) {
    const prose = line.replace(/(`+)[^`]*?\1/g, '');
    for (const [, target] of prose.matchAll(/\]\(<?([^)\s>]+)>?(?:\s+"[^"]*")?\)/g)) {
      if (!/^[a-z][a-z\d+.-]*:/i.test(target)) links.push(target);
    }
  }
  return links;
}

/** What is wrong with each relative link of `page`, as `target: reason` lines. */
function brokenLinks(page) {
  const broken = [];
  for (const target of linksOf(readFileSync(join(ROOT, page), 'utf8'))) {
    const [path, anchor] = target.split('#');
    const file = path ? resolve(ROOT, dirname(page), decodeURIComponent(path)) : join(ROOT, page);
    if (!existsSync(file)) broken.push(`${target}: no file ${relative(ROOT, file)}`);
    else if (anchor !== undefined && !anchorsOf(readFileSync(file, 'utf8')).has(decodeURIComponent(anchor))) broken.push(`${target}: no heading #${anchor} in ${relative(ROOT, file)}`);
  }
  return broken;
}

describe('the docs\' links', () => {
  for (const page of PAGES) {
    it(`${page}: every relative link reaches a file, and every #anchor a heading in it`, () => {
      assert.deepEqual(brokenLinks(page), []);
    });
  }

  it('read anchors as GitHub writes them', () => {
    const anchors = anchorsOf("# The element: `<chat-stream>`\n## The model's thinking (`reasoning`)\n### `streamChat(options): Promise<ChatResult>`\n## Reasoning\n## Reasoning\n```\n# not a heading\n```\n```` ```json ```` is a code span\n# After it");

    assert.deepEqual([...anchors], ['the-element-chat-stream', 'the-models-thinking-reasoning', 'streamchatoptions-promisechatresult', 'reasoning', 'reasoning-1', 'after-it']);
  });
});
