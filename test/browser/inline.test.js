// renderInline on its own, in Chromium: a paragraph's lines joined by '\n' (as blocks.ts will pass
// them), CommonMark's precedence between links and what binds tighter, entities, what it returns
// (where later lines could still change the rendering) and the reference labels it missed.
import {assert} from '@open-wc/testing';
import {inlineContext, renderInline} from '../../src/markdown/inline.ts';

/** Renders `source` into a new div; returns the div and what renderInline returned. */
function render(source, {open = false, context = inlineContext(), missed} = {}) {
  const parent = document.createElement('div');
  const unsettled = renderInline(source, parent, open, context, missed);
  return {parent, unsettled};
}

/** The HTML `source` renders to, without the attributes every link gets. */
const html = (source, options) => render(source, options).parent.innerHTML.replaceAll(' target="_blank" rel="noopener noreferrer"', '');

/** A context in which `[ref]` points to /uri. */
function withRef() {
  const context = inlineContext();
  context.targets.set('REF', {url: '/uri', title: ''});
  return context;
}

describe('renderInline: line endings', () => {
  it('renders a soft line break as <br>, without the spaces before it', () => {
    const out = html('foo \nbar');

    assert.strictEqual(out, 'foo<br>bar');
  });

  it('renders a hard line break of two spaces as one <br>', () => {
    const out = html('foo  \nbar');

    assert.strictEqual(out, 'foo<br>bar');
  });

  it('renders a hard line break of a backslash as one <br>', () => {
    const out = html('foo\\\nbar');

    assert.strictEqual(out, 'foo<br>bar');
  });

  it('drops the spaces that start the next line', () => {
    const out = html('foo\n   bar');

    assert.strictEqual(out, 'foo<br>bar');
  });

  it('keeps a backslash at the very end as a backslash', () => {
    const out = html('foo\\');

    assert.strictEqual(out, 'foo\\');
  });

  it('keeps the white space that ends the source, as a stopped answer keeps its text', () => {
    const out = html('foo  ');

    assert.strictEqual(out, 'foo  ');
  });

  it('keeps an escaped backslash before a line ending, and breaks softly', () => {
    const out = html('foo\\\\\nbar');

    assert.strictEqual(out, 'foo\\<br>bar');
  });
});

describe('renderInline: code spans over lines', () => {
  it('turns each line ending into a space, then strips one space each side (spec 335)', () => {
    const out = html('``\nfoo\nbar  \nbaz\n``');

    assert.strictEqual(out, '<code>foo bar   baz</code>');
  });

  it('keeps the spaces before a line ending inside the span (spec 337)', () => {
    const out = html('`foo   bar \nbaz`');

    assert.strictEqual(out, '<code>foo   bar  baz</code>');
  });

  it('keeps a backslash before a line ending, as code holds no escapes (spec 641)', () => {
    const out = html('`code\\\nspan`');

    assert.strictEqual(out, '<code>code\\ span</code>');
  });
});

describe('renderInline: constructs spanning lines', () => {
  it('closes emphasis on a later line (spec 405)', () => {
    const out = html('*foo\nbar*');

    assert.strictEqual(out, '<em>foo<br>bar</em>');
  });

  it('nests emphasis across a line ending (spec 432)', () => {
    const out = html('**foo *bar **baz**\nbim* bop**');

    assert.strictEqual(out, '<strong>foo <em>bar <strong>baz</strong><br>bim</em> bop</strong>');
  });

  it('closes strikethrough on a later line', () => {
    const out = html('~~foo\nbar~~');

    assert.strictEqual(out, '<del>foo<br>bar</del>');
  });

  it('reads a link destination and title over a line ending (spec 510)', () => {
    const anchor = render('[link](   /uri\n  "title"  )').parent.querySelector('a');

    assert.deepEqual([anchor.getAttribute('href'), anchor.title, anchor.textContent], ['/uri', 'title', 'link']);
  });

  it("breaks a link's text over lines", () => {
    const out = html('[foo\nbar](/uri)');

    assert.strictEqual(out, '<a href="/uri">foo<br>bar</a>');
  });

  it('matches a reference label over a line ending, its white space collapsed', () => {
    const context = inlineContext();
    context.targets.set('FOO BAR', {url: '/uri', title: ''});

    const out = html('[Foo\nbar]', {context});

    assert.strictEqual(out, '<a href="/uri">Foo<br>bar</a>');
  });

  it('closes math on a later line', () => {
    const code = render('$a +\nb$').parent.querySelector('.math code');

    assert.strictEqual(code.textContent, 'a +\nb');
  });

  it('makes no autolink across a line ending', () => {
    const out = html('<https://a.example\n/b>');

    assert.strictEqual(out, '&lt;https://a.example<br>/b&gt;');
  });
});

describe('renderInline: streaming several lines', () => {
  it("leaves an earlier line's unclosed delimiter as text, and styles the last line's", () => {
    const out = html('*a\nb *c', {open: true});

    assert.strictEqual(out, '*a<br>b <em>c</em>');
  });

  it("leaves an earlier line's unclosed backtick as text", () => {
    const out = html('`a\nb', {open: true});

    assert.strictEqual(out, '`a<br>b');
  });

  it("shows the last line's unclosed code span as code", () => {
    const out = html('a\n`b', {open: true});

    assert.strictEqual(out, 'a<br><code>b</code>');
  });

  it("shows the last line's half-written link as its label", () => {
    const out = html('a\nsee [the docs](https://exa', {open: true});

    assert.strictEqual(out, 'a<br>see the docs');
  });

  it('closes on the streaming line a delimiter opened on an earlier one', () => {
    const out = html('**a\nb** c', {open: true});

    assert.strictEqual(out, '<strong>a<br>b</strong> c');
  });
});

describe('renderInline: links hold no links, and what binds tighter than brackets', () => {
  it('makes the outer brackets text when the inner ones link (spec 518)', () => {
    const out = html('[foo [bar](/uri)](/uri)');

    assert.strictEqual(out, '[foo <a href="/uri">bar</a>](/uri)');
  });

  it('makes every enclosing bracket text, through emphasis (spec 519)', () => {
    const out = html('[foo *[bar [baz](/uri)](/uri)*](/uri)');

    assert.strictEqual(out, '[foo <em>[bar <a href="/uri">baz</a>](/uri)</em>](/uri)');
  });

  it('leaves a reference after an inner link to link on its own (spec 532)', () => {
    const out = html('[foo [bar](/uri)][ref]', {context: withRef()});

    assert.strictEqual(out, '[foo <a href="/uri">bar</a>]<a href="/uri">ref</a>');
  });

  it('lets a code span take the bracket that would close the link (spec 342)', () => {
    const out = html('[not a `link](/foo`)');

    assert.strictEqual(out, '[not a <code>link](/foo</code>)');
  });

  it('lets a code span take the link target (spec 525)', () => {
    const out = html('[foo`](/uri)`');

    assert.strictEqual(out, '[foo<code>](/uri)</code>');
  });

  it('lets an autolink take the bracket that would close the link (spec 526)', () => {
    const out = html('[foo<https://example.com/?search=](uri)>');

    assert.strictEqual(out, '[foo<a href="https://example.com/?search=](uri)">https://example.com/?search=](uri)</a>');
  });

  it('lets an HTML tag take the bracket that would close the link', () => {
    const out = html('[foo <bar attr="](baz)">');

    assert.strictEqual(out, '[foo &lt;bar attr="](baz)"&gt;');
  });

  it('reads emphasis inside an HTML tag in link text as text', () => {
    const out = html('[a <b c="*"> d*](/uri)');

    assert.strictEqual(out, '<a href="/uri">a &lt;b c="*"&gt; d*</a>');
  });
});

describe('renderInline: link destinations', () => {
  it('reads a `)` inside a pointed destination (spec 492)', () => {
    const anchor = render('[a](<b)c>)').parent.querySelector('a');

    assert.strictEqual(anchor.getAttribute('href'), 'b)c');
  });

  it('reads unbalanced parentheses inside a pointed destination (spec 499)', () => {
    const anchor = render('[link](<foo(and(bar)>)').parent.querySelector('a');

    assert.strictEqual(anchor.getAttribute('href'), 'foo(and(bar)');
  });

  it('reads balanced parentheses in a bare destination', () => {
    const anchor = render('[link](foo(and(bar)))').parent.querySelector('a');

    assert.strictEqual(anchor.getAttribute('href'), 'foo(and(bar))');
  });

  it('decodes an entity in a destination (spec 503)', () => {
    const anchor = render('[link](foo%20b&auml;)').parent.querySelector('a');

    assert.strictEqual(decodeURIComponent(anchor.getAttribute('href')), 'foo bä');
  });

  it('falls back to a shortcut reference when the inline target is none (spec 568)', () => {
    const out = html('[ref](not a link)', {context: withRef()});

    assert.strictEqual(out, '<a href="/uri">ref</a>(not a link)');
  });

  it('takes no shortcut after an undefined full reference (spec 571)', () => {
    const context = withRef();
    context.targets.set('FOO', {url: '/foo', title: ''});

    const out = html('[foo][bar][ref]', {context});

    assert.strictEqual(out, '[foo]<a href="/uri">bar</a>');
  });
});

describe('renderInline: autolinks', () => {
  it('starts no extended autolink right after `<` (spec 602)', () => {
    const out = html('<https://foo.bar/baz bim>');

    assert.strictEqual(out, '&lt;https://foo.bar/baz bim&gt;');
  });

  it('still starts one after white space', () => {
    const out = html('see https://foo.bar/baz');

    assert.strictEqual(out, 'see <a href="https://foo.bar/baz">https://foo.bar/baz</a>');
  });
});

describe('renderInline: entities', () => {
  it("decodes any of HTML's named entities (spec 25)", () => {
    const out = render('&AElig; &Dcaron; &frac34; &HilbertSpace; &DifferentialD; &ClockwiseContourIntegral; &ngE;').parent.textContent;

    assert.strictEqual(out, 'Æ Ď ¾ ℋ ⅆ ∲ ≧̸');
  });

  it('decodes entities in a link destination and title (spec 32)', () => {
    const anchor = render('[foo](/f&ouml;&ouml; "f&ouml;&ouml;")').parent.querySelector('a');

    assert.deepEqual([decodeURIComponent(new URL(anchor.href).pathname), anchor.title], ['/föö', 'föö']);
  });

  it('leaves unknown and invalid entities as written', () => {
    const out = render('&x; &#87654321; &nosuchentity; &notit; &#abcdef0;').parent.textContent;

    assert.strictEqual(out, '&x; &#87654321; &nosuchentity; &notit; &#abcdef0;');
  });

  it('decodes a name only as text, never as markup', () => {
    const out = html('&lt;img src=x onerror=alert(1)&gt;');

    assert.strictEqual(out, '&lt;img src=x onerror=alert(1)&gt;');
  });
});

describe('renderInline: where later lines could still change the rendering', () => {
  it('returns -1 when everything is settled', () => {
    const {unsettled} = render('**a** `b` [c](/d) $e$ <https://f.example>');

    assert.strictEqual(unsettled, -1);
  });

  it('returns an emphasis opener that found no closer', () => {
    const {unsettled} = render('a *b* c **d');

    assert.strictEqual(unsettled, 8);
  });

  it('returns a strikethrough opener that found no closer', () => {
    const {unsettled} = render('a ~~b');

    assert.strictEqual(unsettled, 2);
  });

  it('returns a `[` without its `]`', () => {
    const {unsettled} = render('a [b');

    assert.strictEqual(unsettled, 2);
  });

  it('returns the `!` of an `![` without its `]`', () => {
    const {unsettled} = render('a ![b');

    assert.strictEqual(unsettled, 2);
  });

  it('returns a `[` whose link destination is unfinished', () => {
    const {unsettled} = render('a [b](/c');

    assert.strictEqual(unsettled, 2);
  });

  it('returns a `[` whose reference label is unfinished', () => {
    const {unsettled} = render('a [b][c');

    assert.strictEqual(unsettled, 2);
  });

  it('returns a backtick run without its closer', () => {
    const {unsettled} = render('a `b');

    assert.strictEqual(unsettled, 2);
  });

  it('returns a math opener without its closer', () => {
    const {unsettled} = render('a \\(b');

    assert.strictEqual(unsettled, 2);
  });

  it('returns a backslash at the very end, which a line ending would make a break', () => {
    const {unsettled} = render('a\\');

    assert.strictEqual(unsettled, 1);
  });

  it('returns a `<` that a later line could make a tag', () => {
    const {unsettled} = render('a <b');

    assert.strictEqual(unsettled, 2);
  });

  it('returns the earliest of several', () => {
    const {unsettled} = render('a *b `c [d');

    assert.strictEqual(unsettled, 2);
  });

  it('returns -1 for a `[` that a link inside it made text', () => {
    const {unsettled} = render('[a [b](/c)');

    assert.strictEqual(unsettled, -1);
  });

  it("returns -1 for an unclosed delimiter inside a link's text", () => {
    const {unsettled} = render('[*a](/b)');

    assert.strictEqual(unsettled, -1);
  });

  it('returns -1 for a shortcut reference at the end, which no line ending can extend', () => {
    const {unsettled} = render('a [b]');

    assert.strictEqual(unsettled, -1);
  });

  it('returns -1 for a pointed destination that a line ending would end', () => {
    const {unsettled} = render('a [b](<1');

    assert.strictEqual(unsettled, -1);
  });
});

describe('renderInline: missed reference labels', () => {
  it('reports the labels this call looked up and found undefined', () => {
    const missed = new Set();

    render('[foo] [a][bar] [Baz][] [ref]', {context: withRef(), missed});

    assert.deepEqual([...missed], ['FOO', 'BAR', 'BAZ']);
  });

  it('reports none while the source streams', () => {
    const missed = new Set();

    render('[foo] and more', {open: true, missed});

    assert.strictEqual(missed.size, 0);
  });
});
