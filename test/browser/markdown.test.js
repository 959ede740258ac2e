// The streaming Markdown renderer (src/markdown) in Chromium: what it builds, that streaming
// in any pieces builds the same thing, that half-finished syntax never flashes, and that
// nothing from the answer can run.
import {assert} from '@open-wc/testing';
import {markdownView} from '../../src/markdown/markdown-view.ts';
import {FrameBatchedView} from '../../src/message-view.ts';
import {everyPoint, randomPieces} from './pieces.js';

/** Renders `pieces` through a markdown view, as a stream would; `end` finishes it. */
function render(pieces, {end = true, highlight, math} = {}) {
  const container = document.createElement('div');
  const view = markdownView(highlight, math)(container);
  for (const piece of pieces) view.append(piece);
  if (end) view.end();
  return container;
}
const html = (markdown) => render([markdown]).innerHTML;

const SAMPLE = [
  '# Title',
  '',
  'Some *emphasis*, **strong**, ~~gone~~, `code` and a [link](https://example.com "Example").',
  'A second line of the same paragraph, 中文 and 👋🏽.',
  '',
  '- one',
  '- two',
  '  - nested **item**',
  '- three',
  '',
  '3. third',
  '4. fourth',
  '',
  '> quoted *text*',
  '> still quoted',
  '',
  '```js',
  'const x = 1 < 2 && "<b>";',
  '```',
  '',
  '| left | center | right |',
  '| :--- | :----: | ----: |',
  '| a | **b** | c |',
  '',
  '---',
  'The end <https://example.org>.',
].join('\n');

describe('markdown: what it renders', () => {
  it('renders headings, emphasis, strong, strikethrough, code and links', () => {
    const container = render([SAMPLE]);

    assert.strictEqual(container.querySelector('h1').textContent, 'Title');
    assert.strictEqual(container.querySelector('em').textContent, 'emphasis');
    assert.strictEqual(container.querySelector('strong').textContent, 'strong');
    assert.strictEqual(container.querySelector('del').textContent, 'gone');
    assert.strictEqual(container.querySelector('p code').textContent, 'code');
    const link = container.querySelector('a[title="Example"]');
    assert.strictEqual(link.getAttribute('href'), 'https://example.com');
    assert.strictEqual(link.textContent, 'link');
  });

  it('keeps a paragraph line break', () => {
    const paragraph = render([SAMPLE]).querySelector('p');

    assert.ok(paragraph.querySelector('br'));
    assert.include(paragraph.textContent, '中文 and 👋🏽.');
  });

  it('renders nested and ordered lists', () => {
    const container = render([SAMPLE]);

    const list = container.querySelector('ul');
    assert.deepEqual([...list.children].map((item) => item.firstChild.textContent), ['one', 'two', 'three']);
    assert.strictEqual(list.children[1].querySelector('ul li strong').textContent, 'item');
    assert.strictEqual(container.querySelector('ol').getAttribute('start'), '3');
    assert.strictEqual(container.querySelectorAll('ol li').length, 2);
  });

  it('renders block quotes', () => {
    const quote = render([SAMPLE]).querySelector('blockquote');

    assert.strictEqual(quote.querySelector('em').textContent, 'text');
    assert.include(quote.textContent, 'still quoted');
  });

  it('renders a fenced code block as text, with its language and a copy button', () => {
    const block = render([SAMPLE]).querySelector('[part="code-block"]');

    assert.strictEqual(block.querySelector('code').textContent, 'const x = 1 < 2 && "<b>";\n');
    assert.strictEqual(block.querySelector('code').className, 'language-js');
    assert.strictEqual(block.querySelector('.code-header span').textContent, 'js');
    assert.strictEqual(block.querySelector('[part="copy-button"]').textContent, 'Copy');
    assert.isNull(block.querySelector('b'));
  });

  it('renders tables with their alignment', () => {
    const table = render([SAMPLE]).querySelector('table');

    assert.deepEqual([...table.querySelectorAll('th')].map((cell) => cell.textContent), ['left', 'center', 'right']);
    assert.deepEqual([...table.querySelectorAll('td')].map((cell) => cell.style.textAlign), ['left', 'center', 'right']);
    assert.strictEqual(table.querySelector('td strong').textContent, 'b');
  });

  it('renders rules and autolinks', () => {
    const container = render([SAMPLE]);

    assert.ok(container.querySelector('hr'));
    assert.strictEqual(container.querySelector('a[href="https://example.org"]').textContent, 'https://example.org');
  });

  it('ends a bare URL at CJK and full-width punctuation', () => {
    const container = render(['请访问https://example.com，然后登录。详见（https://example.com/docs）。']);

    assert.deepEqual([...container.querySelectorAll('a')].map((link) => link.getAttribute('href')), ['https://example.com', 'https://example.com/docs']);
  });

  it('opens links in a new tab with rel="noopener noreferrer"', () => {
    const link = render(['[x](https://example.com)']).querySelector('a');

    assert.strictEqual(link.rel, 'noopener noreferrer');
    assert.strictEqual(link.target, '_blank');
  });

  it('leaves unmatched delimiters as text once the line is finished', () => {
    assert.strictEqual(render(['2 * 3 = 6, a_b_c and **open']).textContent, '2 * 3 = 6, a_b_c and **open');
  });

  it('honours backslash escapes', () => {
    assert.strictEqual(render(['\\*not em\\* and \\`not code\\`']).textContent, '*not em* and `not code`');
  });
});

describe('markdown: what chat answers often contain', () => {
  it('treats a one-line ```code``` with a language as inline code, not a fence', () => {
    const container = render(['```python print(1)```\nafter']);

    assert.isNull(container.querySelector('pre'));
    assert.strictEqual(container.querySelector('code').textContent, 'python print(1)');
    assert.include(container.textContent, 'after');
  });

  it('starts a table right after a paragraph line', () => {
    const container = render(['Here it is:\n| a | b |\n|---|---|\n| 1 | 2 |']);

    assert.strictEqual(container.querySelector('p').textContent, 'Here it is:');
    assert.deepEqual([...container.querySelectorAll('th')].map((cell) => cell.textContent), ['a', 'b']);
    assert.deepEqual([...container.querySelectorAll('td')].map((cell) => cell.textContent), ['1', '2']);
  });

  it('makes a paragraph over a line of = or - a setext heading', () => {
    assert.strictEqual(render(['Title with *style*\n===\n\nSub\ntitle\n---\n']).innerHTML, '<div class="page"><h1>Title with <em>style</em></h1><h2>Sub<br>title</h2></div>');
  });

  it('keeps a line of - after a blank line, or spaced out, a rule', () => {
    assert.strictEqual(render(['Text\n\n---\nMore\n- - -\n']).querySelectorAll('hr').length, 2);
  });

  it('decodes the common named entities and numeric ones to text', () => {
    const paragraph = render(['AT&amp;T &lt;b&gt; &copy; &#169; &#x1F44B; &nbsp;&hellip; &#0;']).querySelector('p');

    assert.strictEqual(paragraph.textContent, 'AT&T <b> © © 👋 \u00a0… \ufffd');
    assert.strictEqual(paragraph.children.length, 0);
  });

  it('leaves unknown entities, escaped ones and those in code as written', () => {
    const paragraph = render(['&bogus; \\&amp; `&amp;`']).querySelector('p');

    assert.strictEqual(paragraph.textContent, '&bogus; &amp; &amp;');
  });

  it('closes emphasis nested at the end of a strong run, and the reverse', () => {
    assert.strictEqual(html('**bold *italic***'), '<div class="page"><p><strong>bold <em>italic</em></strong></p></div>');
    assert.strictEqual(html('*italic **bold***'), '<div class="page"><p><em>italic <strong>bold</strong></em></p></div>');
    assert.strictEqual(html('*italic **bold** on*'), '<div class="page"><p><em>italic <strong>bold</strong> on</em></p></div>');
  });

  it('renders ***both*** as emphasis and strong', () => {
    assert.strictEqual(render(['***both***']).querySelector('em > strong').textContent, 'both');
  });

  it('keeps balanced parentheses in link URLs', () => {
    const container = render(['[w](https://en.wikipedia.org/wiki/Foo_(bar)) and https://en.wikipedia.org/wiki/Foo_(bar).']);

    for (const link of container.querySelectorAll('a')) assert.strictEqual(link.getAttribute('href'), 'https://en.wikipedia.org/wiki/Foo_(bar)');
    assert.notInclude(container.textContent, '))');
  });

  it('does not close emphasis at an escaped delimiter', () => {
    assert.strictEqual(render(['*a\\*b*']).querySelector('em').textContent, 'a*b');
  });

  it('puts no link inside a link', () => {
    const container = render(['[https://a.example](https://b.example)']);

    assert.strictEqual(container.querySelectorAll('a').length, 1);
    assert.strictEqual(container.querySelector('a').getAttribute('href'), 'https://b.example');
  });

  it('drops a closing run of # from headings, but not a # that is part of a word', () => {
    assert.strictEqual(render(['## Title ##']).querySelector('h2').textContent, 'Title');
    assert.strictEqual(render(['# C#']).querySelector('h1').textContent, 'C#');
  });
});

describe('markdown: CommonMark rules chat answers run into', () => {
  /** The page's HTML, the same whole, one code point at a time and in random pieces. */
  const streamedAlike = (markdown) => {
    const whole = html(markdown);
    assert.strictEqual(render(everyPoint(markdown)).innerHTML, whole, 'one code point at a time');
    assert.strictEqual(render(randomPieces(markdown, 7)).innerHTML, whole, 'in random pieces');
    return render([markdown]).querySelector('.page').innerHTML;
  };

  it('closes emphasis, code spans and links on a later line of the paragraph', () => {
    const out = streamedAlike('**Milkweed (*Asclepias*,\nsyn.)** and `a\nb` and [link\ntext](/u)');

    assert.strictEqual(out, '<p><strong>Milkweed (<em>Asclepias</em>,<br>syn.)</strong> and <code>a b</code> and <a href="/u" target="_blank" rel="noopener noreferrer">link<br>text</a></p>');
  });

  it('settles a paragraph line once nothing in it can pair with a later line: it is not rendered again', () => {
    const container = document.createElement('div');
    const view = markdownView()(container);
    view.append('Settled *line*.\n');
    const settled = container.querySelector('em');

    for (const piece of everyPoint('Then an *opener\nand more\nlines *closing* it')) view.append(piece);

    assert.strictEqual(container.querySelector('em'), settled);
  });

  it('gives an item any block at its content column: code, a quote, a nested list', () => {
    const out = streamedAlike('1. Install:\n\n       npm i\n\n   > note\n   - nested');

    assert.strictEqual(out, '<ol><li><p>Install:</p><div class="code-block" part="code-block"><div class="code-header"><span></span><button type="button" part="copy-button">Copy</button></div><pre tabindex="0"><code>npm i\n</code></pre></div><blockquote><p>note</p></blockquote><ul><li>nested</li></ul></li></ol>');
  });

  it('reads a definition whose title is on the next line, and shows nothing of it', () => {
    const out = streamedAlike('[a]: /url\n  "the title"\n\nSee [a].');

    assert.strictEqual(out, '<p>See <a href="/url" target="_blank" rel="noopener noreferrer" title="the title">a</a>.</p>');
  });

  it('takes a header row out of a paragraph that had to settle past its 4,096-character bound', () => {
    const out = streamedAlike(`*x ${'word '.repeat(810)}\na | b ${'more '.repeat(20)}\n- | -\nc | d`);

    assert.notInclude(out.slice(0, out.indexOf('<div class="table"')), 'a | b');
    assert.include(out, '<th>a</th>');
  });

  it('keeps a numbered line in prose as prose: only a list starting at 1 interrupts a paragraph', () => {
    const out = streamedAlike('The answer has two parts.\n14.  The number of doors is 6.');

    assert.strictEqual(out, '<p>The answer has two parts.<br>14.  The number of doors is 6.</p>');
  });

  it('lets a list starting at 1 interrupt a paragraph', () => {
    assert.include(streamedAlike('Steps:\n1. one\n2. two'), '<ol><li>one</li><li>two</li></ol>');
  });

  it('makes a backslash at the end of a line a hard break, and keeps one that ends the paragraph', () => {
    assert.strictEqual(streamedAlike('foo\\\nbar'), '<p>foo<br>bar</p>');
    assert.strictEqual(streamedAlike('foo\\'), '<p>foo\\</p>');
  });

  it('decodes escapes and entities in link destinations and titles', () => {
    const anchor = render(['[link](\\(foo\\) "a &amp; \\"b\\"")']).querySelector('a');

    assert.strictEqual(new URL(anchor.href).pathname.endsWith('/(foo)'), true);
    assert.strictEqual(anchor.title, 'a & "b"');
  });

  it('takes a destination in angle brackets, spaces and all', () => {
    assert.strictEqual(new URL(render(['[a](</my uri>)']).querySelector('a').href).pathname, '/my%20uri');
  });

  it('strikes through text between single tildes, not three', () => {
    assert.strictEqual(streamedAlike('~one~ and ~~two~~ but ~~~three~~~'), '<p><del>one</del> and <del>two</del> but ~~~three~~~</p>');
  });

  it('starts a new list when the marker changes', () => {
    assert.strictEqual(streamedAlike('- a\n- b\n+ c'), '<ul><li>a</li><li>b</li></ul><ul><li>c</li></ul>');
  });

  it('renders a block indented four spaces as code, blank lines inside it kept', () => {
    const code = render(['    const a = 1;\n\n    const b = 2;\n\nafter']).querySelector('pre code');

    assert.strictEqual(code.textContent, 'const a = 1;\n\nconst b = 2;\n');
  });

  it('counts a tab as indentation to the next multiple of four', () => {
    assert.strictEqual(render(['\tcode\tin it']).querySelector('pre code').textContent, 'code\tin it\n');
  });

  it('shows an HTML tag as its text, with no Markdown inside it, and links what follows it', () => {
    const out = streamedAlike('<a href="http://example.com">[x](https://example.org)</a> and [foo <bar attr="](baz)">');

    assert.strictEqual(out, '<p>&lt;a href="http://example.com"&gt;<a href="https://example.org" target="_blank" rel="noopener noreferrer">x</a>&lt;/a&gt; and [foo &lt;bar attr="](baz)"&gt;</p>');
  });

  for (const [markdown, expected] of [
    ['*foo**', '<em>foo</em>*'],
    ['*(*foo*)*', '<em>(<em>foo</em>)</em>'],
    ['__foo, __bar__, baz__', '<strong>foo, <strong>bar</strong>, baz</strong>'],
    ['foo*bar*', 'foo<em>bar</em>'],
    ['_foo_bar and snake_case_name', '_foo_bar and snake_case_name'],
    ['*foo**bar**baz*', '<em>foo<strong>bar</strong>baz</em>'],
    ['***strong emph***', '<em><strong>strong emph</strong></em>'],
    ['5*6*78 but a * b * c', '5<em>6</em>78 but a * b * c'],
  ]) {
    it(`matches emphasis by CommonMark's delimiter rules: ${markdown}`, () => {
      assert.strictEqual(streamedAlike(markdown), `<p>${expected}</p>`);
    });
  }

  it('keeps the delimiters of emphasis nested past 16 levels as text', () => {
    const markdown = `${'*a '.repeat(40)}b${' a*'.repeat(40)}`;

    const page = render([markdown]).querySelector('.page');

    assert.isAtMost(page.querySelectorAll('em em em em em em em em em em em em em em em em em').length, 0);
    assert.strictEqual(page.textContent.replaceAll('*', '').replace(/\s+/g, ' '), markdown.replaceAll('*', '').replace(/\s+/g, ' '));
  });

  it('links [text], [text][] and [text][label] to a definition made before them, which shows nothing', () => {
    const out = streamedAlike('[docs]: https://example.com/docs "The docs"\n[Other]: /other\n\nSee [docs], [docs][] and [the rest][other].');

    assert.strictEqual(
      out,
      '<p>See <a href="https://example.com/docs" target="_blank" rel="noopener noreferrer" title="The docs">docs</a>, <a href="https://example.com/docs" target="_blank" rel="noopener noreferrer" title="The docs">docs</a> and <a href="/other" target="_blank" rel="noopener noreferrer">the rest</a>.</p>',
    );
  });

  it('links a reference used before its definition once the definition arrives, and shows the definition no more', () => {
    const out = streamedAlike('As shown in [1] and [1][].\n\n[1]: https://example.com/source');

    const link = '<a href="https://example.com/source" target="_blank" rel="noopener noreferrer">1</a>';
    assert.strictEqual(out, `<p>As shown in ${link} and ${link}.</p>`);
  });

  it('shows a reference as written until its definition arrives', () => {
    const container = render(['As shown in [1].\n\n[1]: https://exa'], {end: false});

    assert.strictEqual(container.querySelector('p').textContent, 'As shown in [1].');
  });

  it('links references in headings, table cells and list items once their definition arrives', () => {
    const out = streamedAlike('# See [a]\n\n| x |\n| - |\n| [a] |\n\n- [a]\n\n[a]: /a');

    assert.strictEqual(out.match(/<a href="\/a"/g)?.length, 3, out);
  });

  it('continues a quoted paragraph on a line without its >, and ends the quote at a block', () => {
    assert.strictEqual(streamedAlike('> quoted\nlazy line\n- item'), '<blockquote><p>quoted<br>lazy line</p></blockquote><ul><li>item</li></ul>');
  });

  it('strips the indentation of a paragraph continuation line', () => {
    assert.strictEqual(streamedAlike('aaa\n      bbb'), '<p>aaa<br>bbb</p>');
  });
});

describe('markdown: math', () => {
  /** A math function that records its calls and renders `[tex]` (or `[[tex]]` for display math). */
  const recorder = () => {
    const calls = [];
    const math = (tex, {display}) => {
      calls.push([tex, display]);
      return Object.assign(document.createElement('b'), {textContent: display ? `[[${tex}]]` : `[${tex}]`});
    };
    return {calls, math};
  };
  const renderMath = (pieces, math) => render(pieces, {math}).querySelector('.page');
  const SOURCE = 'Inline $x^2$, \\(a+b\\) and \\[c\\] but $5 and $6 are prices and `$code$` is code.\n\n$$\nE = mc^2\n$$\nafter';

  it('renders $…$, \\(…\\), \\[…\\] and a $$ block with the math function, and leaves prices and code alone', () => {
    const {calls, math} = recorder();

    const page = renderMath([SOURCE], math);

    assert.deepEqual(calls, [['x^2', false], ['a+b', false], ['c', true], ['E = mc^2', true]]);
    assert.include(page.textContent, '$5 and $6 are prices');
    assert.strictEqual(page.querySelector('p code:not(.math code)').textContent, '$code$');
    assert.strictEqual(page.querySelectorAll('.math-display').length, 2);
  });

  it('renders the same whole, one code point at a time and in random pieces', () => {
    const whole = renderMath([SOURCE], recorder().math).innerHTML;

    assert.strictEqual(renderMath(everyPoint(SOURCE), recorder().math).innerHTML, whole);
    assert.strictEqual(renderMath(randomPieces(SOURCE, 3), recorder().math).innerHTML, whole);
  });

  it('holds half-written math back: no TeX shows before the formula closes', () => {
    const container = document.createElement('div');
    const view = markdownView(undefined, recorder().math)(container);

    view.append('Area $\\pi r');
    const inline = container.textContent;
    view.append('^2$ done\n$$\n\\int_0^1');
    const block = container.textContent;

    assert.strictEqual(inline, 'Area ');
    assert.notInclude(block, '\\int');
  });

  it('shows TeX as code without a math function, and when it throws', () => {
    const original = console.error;
    console.error = () => {};
    try {
      const plain = renderMath(['$x^2$'], undefined);
      const failing = renderMath(['$x^2$'], () => {
        throw new Error('KaTeX parse error');
      });

      for (const page of [plain, failing]) assert.strictEqual(page.querySelector('.math-inline code').textContent, 'x^2');
    } finally {
      console.error = original;
    }
  });
});

describe('markdown: code in list items', () => {
  const STEPS = ['1. Install it:', '', '   ```bash', '   pip install requests', '   ```', '', '2. Use it:', '', '   ```python', '   import requests', '       print(requests)', '   ```', '   Then run it.', ''].join('\n');

  it('keeps a fence indented under an item inside that item, in one list', () => {
    const container = render([STEPS]);

    assert.strictEqual(container.querySelectorAll('ol').length, 1);
    assert.strictEqual(container.querySelectorAll('ol > li > [part="code-block"]').length, 2);
  });

  it("removes the fence's indentation from the code, and only that", () => {
    const code = [...render([STEPS]).querySelectorAll('code')].map((block) => block.textContent);

    assert.deepEqual(code, ['pip install requests\n', 'import requests\n    print(requests)\n']);
  });

  it("puts an item's text after its code block in a paragraph of the item", () => {
    const item = render([STEPS]).querySelectorAll('li')[1];

    assert.strictEqual(item.lastElementChild.outerHTML, '<p>Then run it.</p>');
  });

  it('renders a fence indented four spaces under a nested item as code, not Markdown', () => {
    const container = render(['- Parent\n  - Child:\n    ```python\n    def f(**kwargs):\n        return __name__\n    ```\n  - Next child\n']);

    assert.strictEqual(container.querySelector('ul ul li code').textContent, 'def f(**kwargs):\n    return __name__\n');
    assert.isNull(container.querySelector('strong'));
    assert.strictEqual(container.querySelectorAll('ul ul > li').length, 2);
  });

  it('opens a code block in an item that starts with a fence, and closes it at the indented fence', () => {
    const container = render(['- a\n- ```\n  b\n\n\n  ```\n- c\n\nLater paragraph.']);

    assert.strictEqual(container.querySelectorAll('li').length, 3);
    assert.strictEqual(container.querySelector('li code').textContent, 'b\n\n\n');
    assert.strictEqual(container.querySelector(':scope > .page > p').textContent, 'Later paragraph.');
  });

  it("makes the list loose after a blank line in an item: each item's text is a paragraph", () => {
    const container = render(['- first\n\n  second paragraph\n- next\n']);

    assert.deepEqual([...container.querySelectorAll('li')].map((item) => item.innerHTML), ['<p>first</p><p>second paragraph</p>', '<p>next</p>']);
  });

  it('makes a list loose when a blank line separates its items, and keeps a tight one tight', () => {
    const loose = render(['1. one\n\n2. two\n3. three\n\nafter']).querySelector('ol').innerHTML;
    const tight = render(['- a\n- b\n\nafter']).querySelector('ul').innerHTML;

    assert.strictEqual(loose, '<li><p>one</p></li><li><p>two</p></li><li><p>three</p></li>');
    assert.strictEqual(tight, '<li>a</li><li>b</li>');
  });
});

describe('markdown: never takes back text it has shown', () => {
  /** Appends `markdown` one code point at a time: each step must show what the last one did, and more. */
  function assertOnlyGrows(markdown) {
    const container = document.createElement('div');
    const view = markdownView()(container);
    let shown = '';
    for (const piece of everyPoint(markdown)) {
      view.append(piece);
      assert.isTrue(container.textContent.startsWith(shown), `after ${JSON.stringify(piece)}: ${JSON.stringify(shown)} became ${JSON.stringify(container.textContent)}`);
      shown = container.textContent;
    }
    view.end();
    assert.isTrue(container.textContent.startsWith(shown), `at the end: ${JSON.stringify(container.textContent)}`);
  }

  it('while a table streams, header row first', () => assertOnlyGrows('Here:\n| Feature | React |\n| --- | :---: |\n| JSX | yes |\n\nAfter.'));

  it('while code streams in a list item', () => assertOnlyGrows('1. Install:\n\n   ```bash\n   pip install x\n   ```\n\n2. Run it.'));

  it('while citations and task boxes stream', () => assertOnlyGrows('Sources [1] and [23], see [2].\n- [ ] open\n- [x] done\n'));

  it('while an autolink streams', () => assertOnlyGrows('Go to <https://example.com/a> now.'));

  it('while a table with CRLF line ends streams', () => assertOnlyGrows('Intro\r\n| a | b |\r\n|---|---|\r\n| 1 | 2 |\r\n'));

  it('while HTML-looking tags in prose stream', () => assertOnlyGrows('Use the <h1> and <main> tags, or <https://example.com>.'));

  it('while a list of citations streams', () => assertOnlyGrows('Studies [1, 2] and [2024-01] agree.'));

  it('while a row-like line in a quote is followed by a line outside it', () => assertOnlyGrows('> | a | b |\nAfter the quote.'));

  it('while a setext heading streams', () => assertOnlyGrows('Intro line\n======\nBody.'));

  it('while entities stream', () => assertOnlyGrows('Q&A: AT&amp;T &lt;div&gt; &#x1F44B; done.'));

  it('while a link streams', () => assertOnlyGrows('Read [the docs](https://example.com) first.'));

  it('while an escaped delimiter streams', () => assertOnlyGrows('Not \\*starred\\* here.'));

  it('shows a row-like line that starts no table once the next line begins', () => {
    assert.strictEqual(render(['| not a table\nn'], {end: false}).querySelector('p').firstChild.textContent, '| not a table');
  });
});

const HIGHLIGHTED = '```js\nlet a\n```\n\nAfter the block.';

describe('markdown: hostile input never breaks rendering', () => {
  for (const [what, input] of [
    ['5,000 unclosed [', '['.repeat(5000)],
    ['a 20,000-character line of brackets', `${'['.repeat(19990)}]\n`],
    ['a list marker, 20,000 spaces and a line separator', `- ${' '.repeat(20000)}\u2028`],
    ['a 20,000-space delimiter row that is not one', `| a |\n|-${' '.repeat(20000)}x\n`],
    ['a code block whose highlighter throws', '```\ncode\n```\nAfter.'],
    ['4,000 unclosed *', '*a '.repeat(4000)],
    ['4,000 unclosed ~~', '~~a '.repeat(4000)],
    ['10,000 nested quotes', `${'>'.repeat(10000)} x\n`],
    ['a heading with 100,000 spaces', `# x${' '.repeat(100000)}y`],
  ]) {
    it(`renders ${what} without throwing, streaming and finished`, () => {
      const container = render([input], {end: false});
      const view = markdownView()(container);

      view.append(input);
      view.end();

      assert.ok(container.textContent.length > 0);
    });
  }
});

describe('markdown: streaming', () => {
  it('builds the same DOM however the text is split', () => {
    const whole = html(SAMPLE);

    assert.strictEqual(render(everyPoint(SAMPLE)).innerHTML, whole);
    for (const seed of [1, 2, 3, 4, 5]) assert.strictEqual(render(randomPieces(SAMPLE, seed)).innerHTML, whole, `seed ${seed}`);
  });

  it('builds the same DOM however CRLF text is split, also between CR and LF', () => {
    const text = '- item\r\n  | a | b |\r\n  |---|---|\r\n  | 1 | 2 |\r\n\r\nIntro\r\n| c |\r\n|---|\r\n';
    const whole = html(text);

    assert.strictEqual(render(everyPoint(text)).innerHTML, whole);
  });

  it('groups a long answer in pages of at most 64 blocks, never splitting an open list', () => {
    const answer = Array.from({length: 150}, (_, i) => (i % 10 === 0 ? `- item ${i}\n- item ${i}b\n\n` : `Paragraph ${i}.\n\n`)).join('');

    const container = render(everyPoint(answer));

    assert.isAbove(container.children.length, 2);
    for (const page of container.children) assert.isAtMost(page.children.length, 64);
    assert.strictEqual(container.querySelectorAll('p').length, 135);
    assert.strictEqual(container.innerHTML, render([answer]).innerHTML);
  });

  it('never re-renders a finished line: its nodes stay the same objects', () => {
    const container = document.createElement('div');
    const view = markdownView()(container);
    view.append('# Title\n\nFirst paragraph.\n');
    const title = container.querySelector('h1');
    const text = container.querySelector('p').firstChild;

    for (const piece of everyPoint('More text that keeps **coming**\n- a list\n')) view.append(piece);

    assert.strictEqual(container.querySelector('h1'), title);
    assert.strictEqual(container.querySelector('p').firstChild, text);
  });

  describe('keeps a selection in the line that is streaming', () => {
    /** Streams `first`, selects `selected` in it, streams `rest`: the selection must still hold the same text. */
    function selectionAfter(first, selected, rest) {
      const container = document.body.appendChild(document.createElement('div'));
      const view = markdownView()(container);
      view.append(first);
      const walker = document.createTreeWalker(container, NodeFilter.SHOW_TEXT);
      let node = walker.nextNode();
      while (node && !node.data.includes(selected)) node = walker.nextNode();
      const range = document.createRange();
      range.setStart(node, node.data.indexOf(selected));
      range.setEnd(node, node.data.indexOf(selected) + selected.length);

      for (const piece of rest) view.append(piece);

      const text = range.toString();
      container.remove();
      return text;
    }

    for (const [where, first, selected, rest] of [
      ['in a paragraph, as it grows and when it ends', 'Intro.\n\nHello wor', 'Hello', ['ld, and', ' more text', '.\n']],
      ['in a paragraph with formatting before the selection', 'Some **bold** words and', 'words', [' more', ' text.\n']],
      ['in a list item', '- first item\n- second it', 'second', ['em grows', '\n']],
      ['in the first line of a quote', '> Hello wor', 'Hello', ['ld and', ' more', '\n']],
      ['before a URL that becomes a link', 'Hello, see http', 'Hello', ['s://example.com', ' for more\n']],
      ['in a line of code', '```js\nconst answer', 'answer', [' = 42;', '\n']],
    ]) {
      it(where, () => {
        assert.strictEqual(selectionAfter(first, selected, rest), selected);
      });
    }
  });

  it('styles an unclosed ** at once instead of showing the asterisks', () => {
    const container = render(['Some **bold te'], {end: false});

    assert.strictEqual(container.querySelector('strong').textContent, 'bold te');
    assert.notInclude(container.textContent, '*');
  });

  it('holds back a trailing delimiter that may still become syntax', () => {
    assert.strictEqual(render(['Wait for it *'], {end: false}).textContent, 'Wait for it ');
    assert.strictEqual(render(['Code `'], {end: false}).textContent, 'Code ');
  });

  it('shows a half-written link as its label, without brackets', () => {
    const container = render(['See [the docs](https://exam'], {end: false});

    assert.strictEqual(container.textContent, 'See the docs');
  });

  it('shows nothing of a line that may still become a fence, a rule or a list marker', () => {
    for (const partial of ['``', '```py', '--', '1.', '#']) {
      assert.strictEqual(render(['Text\n', partial], {end: false}).textContent, 'Text', partial);
    }
  });

  it('streams code into the block as it arrives', () => {
    const container = render(['```py\nprint(1)\nprint(2'], {end: false});

    assert.strictEqual(container.querySelector('code').textContent, 'print(1)\nprint(2');
  });

  it('shows what was held back when the answer ends', () => {
    assert.strictEqual(render(['Ends with *'], {end: true}).textContent, 'Ends with *');
  });

  it('keeps a code block plain and the rest of the answer when the highlighter throws', () => {
    const errors = [];
    const original = console.error;
    console.error = (...args) => errors.push(args.join(' '));
    const highlight = () => {
      throw new Error('Unknown language');
    };

    try {
      for (const pieces of [[HIGHLIGHTED], everyPoint(HIGHLIGHTED)]) {
        const container = render(pieces, {highlight});
        assert.strictEqual(container.querySelector('code').textContent, 'let a\n');
        assert.strictEqual(container.querySelector('p:last-child').textContent, 'After the block.');
      }
    } finally {
      console.error = original;
    }
    assert.match(errors[0], /highlight function failed on a "js" code block/);
  });

  it('passes a finished code block to the highlighter once', () => {
    const calls = [];
    const highlight = (code, language) => {
      calls.push([code, language]);
      const span = document.createElement('span');
      span.className = 'hl';
      span.textContent = code.toUpperCase();
      return span;
    };

    const container = render(['```ts\nlet a = 1\n```\n'], {highlight});

    assert.deepEqual(calls, [['let a = 1', 'ts']]);
    assert.strictEqual(container.querySelector('code .hl').textContent, 'LET A = 1');
  });
});

describe('markdown: frame batching', () => {
  /** Resolves in the task after the next animation frame's callbacks. */
  const afterFrame = () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve)));

  it('never cuts a render between the two halves of an emoji', () => {
    const pieces = [];
    const view = new FrameBatchedView({append: (delta) => pieces.push(delta), replace: () => {}}, () => {});

    view.append(`${'a'.repeat(8191)}😀${'b'.repeat(9000)}`);
    view.flush(8192);
    view.end();

    assert.ok(pieces.length >= 1);
    for (const piece of pieces) assert.notMatch(piece, /[\uD800-\uDBFF]$/);
    assert.strictEqual(pieces.join(''), `${'a'.repeat(8191)}😀${'b'.repeat(9000)}`);
  });

  it('draws the first frame of a flood small, then frames sized by what rendering cost', async () => {
    const pieces = [];
    const view = new FrameBatchedView({append: (delta) => pieces.push(delta.length), replace: () => {}}, () => {});

    view.append('x'.repeat(200000));
    for (let i = 0; i < 4; i++) await afterFrame();
    view.end();

    // A view that costs (almost) nothing per character gets the most a frame may render.
    assert.strictEqual(pieces[0], 1024);
    assert.strictEqual(pieces[1], 32768);
    assert.strictEqual(pieces.reduce((sum, length) => sum + length, 0), 200000);
  });

  it('draws less text a frame when rendering it costs more', async () => {
    const pieces = [];
    const busy = (ms) => {
      const until = performance.now() + ms;
      while (performance.now() < until);
    };
    // About 10 µs a character: the 8 ms budget is about 800 characters, so frames stay at the least, 1 KB.
    const view = new FrameBatchedView({append: (delta) => (busy(delta.length / 100), pieces.push(delta.length)), replace: () => {}}, () => {});

    view.append('x'.repeat(10000));
    for (let i = 0; i < 3; i++) await afterFrame();
    view.end();

    assert.deepEqual(pieces.slice(0, 3), [1024, 1024, 1024]);
  });

  it("calls a view's end() once", () => {
    let ends = 0;
    const view = new FrameBatchedView({append: () => {}, replace: () => {}, end: () => ends++}, () => {});

    view.append('text');
    view.end();
    view.end();

    assert.strictEqual(ends, 1);
  });

  it('applies many appends in one frame as one DOM update', async () => {
    const appended = [];
    const view = new FrameBatchedView({append: (delta) => appended.push(delta), replace: () => {}}, () => {});

    for (let i = 0; i < 100; i++) view.append(`${i} `);
    assert.deepEqual(appended, []);
    await afterFrame();

    assert.strictEqual(appended.length, 1);
    assert.strictEqual(appended[0], Array.from({length: 100}, (_, i) => `${i} `).join(''));
  });
});

// Every payload must render as inert text or a neutralised link: no script runs, no element
// outside Markdown's own set is created, no handler attribute exists, no unsafe href survives.
const XSS = [
  '<script>window.__xss = 1</script>',
  '<img src=x onerror="window.__xss = 2">',
  '<svg onload="window.__xss = 3"><circle r="1"/></svg>',
  '<iframe src="javascript:window.__xss = 4"></iframe>',
  '<a href="javascript:window.__xss = 5">html link</a>',
  '[click](javascript:window.__xss=6)',
  '[click](JaVaScRiPt:window.__xss=7)',
  '[click](  javascript:window.__xss=8)',
  '[click](java\tscript:window.__xss=9)',
  '[click](&#106;avascript:window.__xss=10)',
  '[click](javascript&colon;window.__xss=11)',
  '[click](vbscript:msgbox(12))',
  '[click](data:text/html;base64,PHNjcmlwdD53aW5kb3cuX194c3M9MTM8L3NjcmlwdD4=)',
  '![img](javascript:window.__xss=14)',
  '![img](x" onerror="window.__xss=15)',
  '<javascript:window.__xss=16>',
  '[a](https://ok.example "title\\" onmouseover=\\"window.__xss=17")',
  '`<img src=x onerror=window.__xss=18>`',
  '```html\n<script>window.__xss=19</script>\n```',
  '&lt;script&gt;window.__xss=20&lt;/script&gt;',
  '**<img src=x onerror=window.__xss=21>**',
  '| <svg onload=window.__xss=22> | b |\n| --- | --- |\n| <img src=x onerror=window.__xss=23> | c |',
  // White space JavaScript's trim() removes but a scheme check on the untrimmed text would not see.
  '[click](&nbsp;javascript:window.__xss=24)',
  '[click](&#xFEFF;javascript:window.__xss=25)',
  '[click](\uFEFFjavascript:window.__xss=26)',
  '[click]\n\n[click]: &#x3000;javascript:window.__xss=27',
  '[click](&#x2028;javascript:window.__xss=28)',
];
const ALLOWED = new Set(['P', 'BR', 'EM', 'STRONG', 'DEL', 'CODE', 'PRE', 'A', 'UL', 'OL', 'LI', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'BLOCKQUOTE', 'HR', 'DIV', 'SPAN', 'BUTTON', 'TABLE', 'THEAD', 'TBODY', 'TR', 'TH', 'TD']);

describe('markdown: XSS payloads render inert', () => {
  for (const payload of XSS) {
    it(`renders ${JSON.stringify(payload).slice(0, 70)} safely, whole and streamed`, async () => {
      delete window.__xss;
      for (const container of [render([payload]), render(everyPoint(payload))]) {
        document.body.append(container);
        await new Promise((resolve) => setTimeout(resolve, 20));

        for (const node of container.querySelectorAll('*')) {
          assert.ok(ALLOWED.has(node.tagName), `unexpected <${node.tagName}>`);
          for (const {name} of node.attributes) assert.notMatch(name, /^on/i, `handler attribute ${name}`);
        }
        for (const link of container.querySelectorAll('a[href]')) {
          assert.match(new URL(link.href).protocol, /^(https?|mailto|tel):$/, link.getAttribute('href'));
        }
        container.remove();
      }
      assert.isUndefined(window.__xss);
    });
  }
});
