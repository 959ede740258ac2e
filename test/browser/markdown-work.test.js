// The renderer's work, counted rather than timed: every character the built-in string and
// regular expression methods are handed while it renders (what it scans), against the size of
// what it was given. Hostile lines of each construct must cost work linear in the line, and a
// document appended line by line must cost the same per line at its end as at its start: no
// committed line is ever scanned again.
import {assert} from '@open-wc/testing';
import {markdownView} from '../../src/markdown/markdown-view.ts';

/** Counts the characters handed to the string and regular expression methods while `action` runs. */
function scanned(action) {
  let work = 0;
  const patched = [];
  const spy = (owner, name, measure) => {
    const original = owner[name];
    patched.push([owner, name, original]);
    owner[name] = function (...args) {
      const result = original.apply(this, args);
      work += measure(String(this), args, result);
      return result;
    };
  };
  // A regular expression may read all of its input; a search reads from where it starts to where it stops.
  for (const name of ['exec', 'test']) spy(RegExp.prototype, name, (_, [input]) => String(input).length);
  spy(String.prototype, 'indexOf', (self, [search, from = 0], found) => (found === -1 ? self.length - from : found - from + String(search).length));
  spy(String.prototype, 'includes', (self, [search, from = 0], found) => (found ? self.indexOf(search, from) - from + String(search).length : self.length - from));
  spy(String.prototype, 'startsWith', (_, [search]) => String(search).length);
  for (const name of ['lastIndexOf', 'endsWith', 'split', 'replace', 'replaceAll', 'match', 'trim', 'trimStart', 'trimEnd']) spy(String.prototype, name, (self) => self.length);
  spy(String.prototype, 'slice', (self, [start = 0, end = self.length]) => Math.max(0, (end < 0 ? self.length + end : Math.min(end, self.length)) - (start < 0 ? self.length + start : start)));
  try {
    action();
  } finally {
    for (const [owner, name, original] of patched.reverse()) owner[name] = original;
  }
  return work;
}

/** Lines just under the renderer's plain-text cut-off, so that every construct is still parsed. */
const LENGTH = 19990;
const line = (unit) => unit.repeat(Math.ceil(LENGTH / unit.length)).slice(0, LENGTH);
const HOSTILE_LINES = {
  'emphasis openers': line('*a _b '),
  'strong openers': line('**a __b '),
  'mixed runs': line('*_~*_~ '),
  strikethrough: line('~a ~~b '),
  'link brackets': line('[a '),
  'link parentheses': line('[a]( '),
  'nested labels': line('[[a]('),
  'code span openers': line('`a ``b '),
  'HTML tag openers': line('<a b=" '),
  'autolink openers': line('<https://a '),
  'bare URLs': line('www.a.b/( '),
  'email addresses': line('a@b.c@ '),
  'dollar signs': line('$a $'),
  'math openers': line('\\(a \\[b $$c '),
  entities: line('&amp &#12 &x '),
  escapes: line('\\*\\[\\'),
  pipes: line('| a '),
};

describe('markdown: work is linear, never a rescan', () => {
  for (const [construct, text] of Object.entries(HOSTILE_LINES)) {
    it(`scans a ${LENGTH}-character line of ${construct} in work linear in the line`, () => {
      const view = markdownView()(document.createElement('div'));

      const work = scanned(() => {
        view.append(`${text}\n`);
        view.end();
      });

      assert.isBelow(work / text.length, 200, `${work} characters scanned for ${text.length}`);
    });
  }

  const BLOCKS = {
    paragraph: (n) => `Line ${n} with *emphasis*, \`code\`, [a link](https://example.com/${n}) and $x_${n}$.`,
    // Openers no line closes keep the paragraph unsettled: its lines are rendered again, up to a bound.
    'paragraph of unclosed openers': (n) => `line ${n} opens *this, [that and \`code`,
    'list items': (n) => `- item ${n} with **strong** text`,
    'ordered items': (n) => `${n}. step ${n}`,
    'one item continued': (n) => (n === 0 ? '- item' : `  more of the item, line ${n}`),
    quote: (n) => `> quoted line ${n} with _emphasis_`,
    'table rows': (n) => (n === 0 ? '| a | b |' : n === 1 ? '| - | - |' : `| ${n} | **${n}** |`),
    'fenced code': (n) => (n === 0 ? '```js' : `const line${n} = ${n};`),
    'indented code': (n) => `    code line ${n}`,
    'display math': (n) => (n === 0 ? '$$' : `x_{${n}} + y^{${n}} \\\\`),
    definitions: (n) => `[label${n}]: https://example.com/${n} "title ${n}"`,
  };
  for (const [construct, lineAt] of Object.entries(BLOCKS)) {
    it(`costs the same per line at the end of 2,000 lines of ${construct} as at their start`, () => {
      const view = markdownView()(document.createElement('div'));
      const cost = (from, to) => {
        let work = 0;
        for (let n = from; n < to; n++) work += scanned(() => view.append(`${lineAt(n)}\n`));
        return work;
      };

      const first = cost(0, 200);
      cost(200, 1800);
      const last = cost(1800, 2000);

      assert.isBelow(last / first, 1.5, `the last 200 lines cost ${last}, the first ${first}`);
    });
  }
});

describe('markdown: references linked late cost a bounded amount', () => {
  // 20 paragraphs each using 50 labels, then the 50 definitions each in a run of its own: each
  // paragraph is rendered again for a few runs at most, not once per label.
  const used = Array.from({length: 20}, () => Array.from({length: 50}, (_, i) => `[l${i}]`).join(' ')).join('\n\n');
  const defined = Array.from({length: 50}, (_, i) => `[l${i}]: /u${i}\n\nText ${i}.`).join('\n\n');
  const unrelated = Array.from({length: 50}, (_, i) => `[m${i}]: /u${i}\n\nText ${i}.`).join('\n\n');

  it('renders the texts that used labels again a bounded number of times, whatever the number of labels', () => {
    const work = (text) => scanned(() => markdownView()(document.createElement('div')).append(`${text}\n`));

    const late = work(`${used}\n\n${defined}`);
    const none = work(`${used}\n\n${unrelated}`);

    assert.isBelow(late / none, 6, `with the definitions ${late}, without ${none}`);
  });
});
