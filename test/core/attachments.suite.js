// Attachments on a `ChatSession` (issue 16): files read with `readAttachment`, sent with a
// question in each format's own shape (the request body as the fixture server received it over
// real HTTP, the answer streamed back in hostile pieces), kept through Retry, Regenerate and Edit,
// and saved bounded by `maxStoredAttachmentSize`. Run in Node and in Chromium.

/** UTF-8 text as base64, through the platform's own `btoa`. */
const base64OfText = (text) => btoa(String.fromCharCode(...new TextEncoder().encode(text)));

const TEXT_CONTENT = 'Olá, 世界 👋\n';
const IMAGE = {name: 'pixel.png', type: 'image/png', size: 6, url: 'data:image/png;base64,iVBORwD/'};
const PDF = {name: '报告.pdf', type: 'application/pdf', size: 8, url: 'data:application/pdf;base64,JVBERi0xLjQ='};
const TEXT = {name: 'notes.txt', type: 'text/plain', size: 18, url: `data:text/plain;base64,${base64OfText(TEXT_CONTENT)}`};
const NOT_KEPT = {name: 'big.zip', type: 'application/zip', size: 5000000};
const NOT_KEPT_NOTE = '[Attachment not kept: big.zip (application/zip, 5000000 bytes)]';
const REMOTE_IMAGE = {name: 'cat.jpg', type: 'image/jpeg', size: 1200, url: 'https://files.example/cat.jpg'};
const REMOTE_PDF = {name: 'paper.pdf', type: 'application/pdf', size: 3400, url: 'https://files.example/paper.pdf'};
const QUESTION = 'What are these? 这些是什么？';

/** Each format, the fixture scenario that answers in it, and where its body keeps the last message. */
const FORMATS = {
  openai: {scenario: 'greeting', last: (body) => body.messages.at(-1)},
  'openai-responses': {scenario: 'responses', last: (body) => body.input.at(-1)},
  anthropic: {scenario: 'anthropic', last: (body) => body.messages.at(-1)},
  // Without its id, which the session makes.
  'ai-sdk': {scenario: 'ai-sdk', last: (body) => ({...body.messages.at(-1), id: undefined})},
  ndjson: {scenario: 'ollama', last: (body) => body.messages.at(-1)},
};

/** The last user message each format sends for QUESTION with IMAGE, PDF, TEXT and NOT_KEPT. */
const MIXED_BODIES = {
  openai: {
    role: 'user',
    content: [
      {type: 'text', text: QUESTION},
      {type: 'image_url', image_url: {url: IMAGE.url}},
      {type: 'file', file: {filename: '报告.pdf', file_data: PDF.url}},
      {type: 'file', file: {filename: 'notes.txt', file_data: TEXT.url}},
      {type: 'text', text: NOT_KEPT_NOTE},
    ],
  },
  'openai-responses': {
    role: 'user',
    content: [
      {type: 'input_text', text: QUESTION},
      {type: 'input_image', image_url: IMAGE.url, detail: 'auto'},
      {type: 'input_file', filename: '报告.pdf', file_data: PDF.url},
      {type: 'input_file', filename: 'notes.txt', file_data: TEXT.url},
      {type: 'input_text', text: NOT_KEPT_NOTE},
    ],
  },
  anthropic: {
    role: 'user',
    content: [
      {type: 'image', source: {type: 'base64', media_type: 'image/png', data: 'iVBORwD/'}},
      {type: 'document', source: {type: 'base64', media_type: 'application/pdf', data: 'JVBERi0xLjQ='}, title: '报告.pdf'},
      {type: 'document', source: {type: 'text', media_type: 'text/plain', data: TEXT_CONTENT}, title: 'notes.txt'},
      {type: 'text', text: NOT_KEPT_NOTE},
      {type: 'text', text: QUESTION},
    ],
  },
  'ai-sdk': {
    id: undefined,
    role: 'user',
    parts: [
      {type: 'file', mediaType: 'image/png', filename: 'pixel.png', url: IMAGE.url},
      {type: 'file', mediaType: 'application/pdf', filename: '报告.pdf', url: PDF.url},
      {type: 'file', mediaType: 'text/plain', filename: 'notes.txt', url: TEXT.url},
      {type: 'text', text: NOT_KEPT_NOTE},
      {type: 'text', text: QUESTION},
    ],
  },
  ndjson: {
    role: 'user',
    content: [
      QUESTION,
      "[Attachment not sent: 报告.pdf (application/pdf, 8 bytes), a type this model's API does not read]",
      "[Attachment not sent: notes.txt (text/plain, 18 bytes), a type this model's API does not read]",
      NOT_KEPT_NOTE,
    ].join('\n\n'),
    images: ['iVBORwD/'],
  },
};

/** The last user message each format sends for QUESTION with REMOTE_IMAGE and REMOTE_PDF (files at URLs). */
const URL_BODIES = {
  openai: [
    {type: 'text', text: QUESTION},
    {type: 'image_url', image_url: {url: REMOTE_IMAGE.url}},
    // Chat completions fetch no file: the model is told where it is.
    {type: 'text', text: '[Attachment: paper.pdf (application/pdf, 3400 bytes) at https://files.example/paper.pdf]'},
  ],
  'openai-responses': [
    {type: 'input_text', text: QUESTION},
    {type: 'input_image', image_url: REMOTE_IMAGE.url, detail: 'auto'},
    {type: 'input_file', file_url: REMOTE_PDF.url},
  ],
  anthropic: [
    {type: 'image', source: {type: 'url', url: REMOTE_IMAGE.url}},
    {type: 'document', source: {type: 'url', url: REMOTE_PDF.url}, title: 'paper.pdf'},
    {type: 'text', text: QUESTION},
  ],
  'ai-sdk': [
    {type: 'file', mediaType: 'image/jpeg', filename: 'cat.jpg', url: REMOTE_IMAGE.url},
    {type: 'file', mediaType: 'application/pdf', filename: 'paper.pdf', url: REMOTE_PDF.url},
    {type: 'text', text: QUESTION},
  ],
  ndjson: [
    QUESTION,
    '[Attachment: cat.jpg (image/jpeg, 1200 bytes) at https://files.example/cat.jpg]',
    '[Attachment: paper.pdf (application/pdf, 3400 bytes) at https://files.example/paper.pdf]',
  ].join('\n\n'),
};

/**
 * @param {object} harness
 * @param {Function} harness.describe
 * @param {Function} harness.it
 * @param {object} harness.assert
 * @param {typeof import('../../src/core/index.js')} harness.core
 * @param {() => string} harness.origin the test server's origin
 */
export function defineAttachmentsSuite({describe, it, assert, core, origin}) {
  const {ChatSession, readAttachment} = core;
  let probes = 0;
  const newProbe = () => `a${++probes}-${Math.random().toString(36).slice(2)}`;
  const sentBodies = async (probe) => (await (await fetch(`${origin()}/sse-probe/${probe}`)).json()).history.map(({body}) => JSON.parse(body));
  const lastBody = async (probe) => (await sentBodies(probe)).at(-1);
  const scenarioUrl = (name, params) => `${origin()}/sse/${name}?${new URLSearchParams({split: 'hostile', ...params})}`;
  /** A session on `format`'s scenario, its requests recorded under `probe`. */
  const session = (format = 'openai', options = {}, params = {}) => {
    const probe = newProbe();
    const chat = new ChatSession({url: scenarioUrl(FORMATS[format].scenario, {probe, ...params}), token: 't', format, ...options});
    return {chat, probe, last: async () => FORMATS[format].last(await lastBody(probe))};
  };
  const rejection = (promise) => promise.then(() => assert.fail('expected a rejection'), (error) => error);
  const memoryStorage = () => {
    const saved = new Map();
    return {saved, load: (id) => saved.get(id), save: (id, messages) => void saved.set(id, JSON.parse(JSON.stringify(messages)))};
  };

  describe('ChatSession: attachments in each format’s request body', () => {
    for (const format of Object.keys(FORMATS)) {
      it(`${format}: sends an image, a PDF, a text file and one not kept, in its own shape, and reads the answer`, async () => {
        const {chat, last} = session(format);

        const result = await chat.send(QUESTION, {attachments: [IMAGE, PDF, TEXT, NOT_KEPT]});

        assert.strictEqual(result.status, 'done');
        assert.deepEqual(await last(), MIXED_BODIES[format]);
      });

      it(`${format}: sends files at URLs as URLs where the API fetches them, and names them where it does not`, async () => {
        const {chat, last} = session(format);

        await chat.send(QUESTION, {attachments: [REMOTE_IMAGE, REMOTE_PDF]});

        const message = await last();
        assert.deepEqual(message.parts ?? message.content, URL_BODIES[format]);
      });
    }

    it('openai: sends a question of attachments alone without a text part', async () => {
      const {chat, last} = session('openai');

      await chat.send('', {attachments: [IMAGE]});

      assert.deepEqual(await last(), {role: 'user', content: [{type: 'image_url', image_url: {url: IMAGE.url}}]});
    });

    it('anthropic: sends a question of attachments alone without a (blank) text block', async () => {
      const {chat, last} = session('anthropic');

      await chat.send(' \n', {attachments: [PDF]});

      assert.deepEqual((await last()).content.map((block) => block.type), ['document']);
    });

    it('ai-sdk: sends a question of attachments alone as file parts only, as useChat does', async () => {
      const {chat, last} = session('ai-sdk');

      await chat.send('', {attachments: [IMAGE]});

      assert.deepEqual((await last()).parts, [{type: 'file', mediaType: 'image/png', filename: 'pixel.png', url: IMAGE.url}]);
    });

    it('anthropic: names a file of a type it does not read (an archive, an SVG image) in a text block', async () => {
      const {chat, last} = session('anthropic');
      const svg = {name: 'logo.svg', type: 'image/svg+xml', size: 4, url: 'data:image/svg+xml;base64,PHN2Zz4='};

      await chat.send(QUESTION, {attachments: [svg]});

      assert.deepEqual((await last()).content[0], {type: 'text', text: "[Attachment not sent: logo.svg (image/svg+xml, 4 bytes), a type this model's API does not read]"});
    });

    it('sends the attachments of earlier questions too, and the other messages as before', async () => {
      const {chat, probe} = session('openai');
      await chat.send('first', {attachments: [IMAGE]});

      await chat.send('second');

      const {messages} = await lastBody(probe);
      assert.deepEqual(messages[0].content, [{type: 'text', text: 'first'}, {type: 'image_url', image_url: {url: IMAGE.url}}]);
      assert.deepEqual(messages.slice(1).map(({role, content}) => [role, typeof content]), [['assistant', 'string'], ['user', 'string']]);
    });

    it("gives a page's own format the attachments on the message", async () => {
      let given;
      const format = {name: 'mine', read: () => 'end', buildBody: ({messages}) => ((given = messages.at(-1)), {})};
      const chat = new ChatSession({url: scenarioUrl('greeting', {}), token: 't', format});

      await chat.send('look', {attachments: [IMAGE, NOT_KEPT]});

      assert.deepEqual(given.attachments, [IMAGE, NOT_KEPT]);
    });

    it('keeps the attachments on the question, and in done’s messages', async () => {
      const {chat} = session('openai');
      let done;
      chat.addEventListener('done', ({detail}) => (done = detail));

      await chat.send(QUESTION, {attachments: [IMAGE]});

      assert.deepEqual(chat.messages[0].attachments, [IMAGE]);
      assert.deepEqual(done.messages[0], {role: 'user', content: QUESTION, attachments: [IMAGE]});
    });

    it('gives the attachments back in login-required when the question leaves for a sign-in', async () => {
      const chat = new ChatSession({url: scenarioUrl('greeting', {}), format: 'openai'});
      let detail;
      chat.addEventListener('login-required', (event) => (detail = event.detail));

      await chat.send('hi', {attachments: [IMAGE]});

      assert.deepEqual([detail.text, detail.attachments, chat.messages.length], ['hi', [IMAGE], 0]);
    });
  });

  describe('ChatSession: attachments through Retry, Regenerate and Edit', () => {
    const imageSent = (message) => message.content.some((part) => part.type === 'image_url');

    it('Retry sends the failed question’s attachments again', async () => {
      const {chat, probe} = session('openai', {retries: 0}, {fail: '1', failStatus: '500'});
      await chat.send(QUESTION, {attachments: [IMAGE]});

      const result = await chat.retry();

      const bodies = await sentBodies(probe);
      assert.strictEqual(result.status, 'done');
      assert.deepEqual(bodies.map((body) => imageSent(body.messages.at(-1))), [true, true]);
    });

    it('Regenerate sends the question’s attachments again', async () => {
      const {chat, last} = session('openai');
      await chat.send(QUESTION, {attachments: [IMAGE]});

      await chat.regenerate();

      assert.ok(imageSent(await last()));
    });

    it('Edit without attachments keeps the message’s, with the new text', async () => {
      const {chat, last} = session('openai');
      await chat.send(QUESTION, {attachments: [IMAGE]});

      await chat.edit(chat.messages[0].id, 'And now?');

      assert.deepEqual((await last()).content, [{type: 'text', text: 'And now?'}, {type: 'image_url', image_url: {url: IMAGE.url}}]);
      assert.deepEqual(chat.messages[0].attachments, [IMAGE]);
    });

    it('Edit may blank the text of a question that keeps its attachments', async () => {
      const {chat, last} = session('openai');
      await chat.send(QUESTION, {attachments: [IMAGE]});

      await chat.edit(chat.messages[0].id, '');

      assert.deepEqual((await last()).content, [{type: 'image_url', image_url: {url: IMAGE.url}}]);
    });

    it('Edit with attachments replaces the message’s', async () => {
      const {chat, last} = session('openai');
      await chat.send(QUESTION, {attachments: [IMAGE]});

      await chat.edit(chat.messages[0].id, QUESTION, {attachments: [REMOTE_IMAGE]});

      assert.deepEqual((await last()).content.slice(1), [{type: 'image_url', image_url: {url: REMOTE_IMAGE.url}}]);
      assert.deepEqual(chat.messages[0].attachments, [REMOTE_IMAGE]);
    });

    it('Edit with an empty list removes them: the question is plain text again', async () => {
      const {chat, last} = session('openai');
      await chat.send(QUESTION, {attachments: [IMAGE]});

      await chat.edit(chat.messages[0].id, QUESTION, {attachments: []});

      assert.deepEqual(await last(), {role: 'user', content: QUESTION});
      assert.strictEqual('attachments' in chat.messages[0], false);
    });
  });

  describe('ChatSession: attachments in storage', () => {
    const dataUrl = (length) => {
      const prefix = 'data:application/octet-stream;base64,';
      return prefix + 'A'.repeat(length - prefix.length);
    };
    const file = (name, url) => ({name, type: 'application/octet-stream', size: 10, url});

    it('saves a data URL up to maxStoredAttachmentSize, one longer without its url, and any other URL', async () => {
      const storage = memoryStorage();
      const longRemote = `https://files.example/${'x'.repeat(200)}.pdf`;
      const {chat} = session('openai', {storage, id: 'files', maxStoredAttachmentSize: 100});
      const attachments = [file('small.bin', dataUrl(100)), file('large.bin', dataUrl(101)), {...REMOTE_PDF, url: longRemote}];

      await chat.send(QUESTION, {attachments});

      const saved = storage.saved.get('files')[0].attachments;
      assert.deepEqual(saved, [attachments[0], {name: 'large.bin', type: 'application/octet-stream', size: 10}, attachments[2]]);
      assert.strictEqual(chat.messages[0].attachments[1].url, attachments[1].url, 'the session keeps the file in memory');
    });

    it('saves a data URL of 262144 characters by default, and not one longer', async () => {
      const storage = memoryStorage();
      const {chat} = session('openai', {storage, id: 'files'});

      await chat.send(QUESTION, {attachments: [file('kept.bin', dataUrl(262144)), file('dropped.bin', dataUrl(262145))]});

      assert.deepEqual(storage.saved.get('files')[0].attachments.map((attachment) => 'url' in attachment), [true, false]);
    });

    it('tells the model of a file not kept after a reload, and Regenerate still works', async () => {
      const storage = memoryStorage();
      const {chat, probe} = session('openai', {storage, id: 'files', maxStoredAttachmentSize: 10});
      await chat.send(QUESTION, {attachments: [IMAGE]});
      const reloaded = new ChatSession({...chat.options, storage, id: 'files'});

      const result = await reloaded.regenerate();

      assert.strictEqual(result.status, 'done');
      assert.deepEqual((await lastBody(probe)).messages[0].content, [{type: 'text', text: QUESTION}, {type: 'text', text: '[Attachment not kept: pixel.png (image/png, 6 bytes)]'}]);
    });

    it('keeps the well-formed attachments of messages a page sets, on questions only, and drops the rest', () => {
      const chat = new ChatSession();

      chat.messages = [
        {role: 'user', content: 'hi', attachments: [IMAGE, {name: ''}, 'junk', {...IMAGE, type: 'png'}, {...IMAGE, url: 'blob:x'}, {...IMAGE, extra: 1}, NOT_KEPT]},
        {role: 'assistant', content: 'hello', attachments: [IMAGE]},
        {role: 'user', content: 'again', attachments: 'none'},
      ];

      assert.deepEqual(chat.messages[0].attachments, [IMAGE, IMAGE, NOT_KEPT]);
      assert.deepEqual([chat.messages[1].attachments, chat.messages[2].attachments], [undefined, undefined]);
    });

    for (const bad of [-1, 1.5, '1000']) {
      it(`rejects a maxStoredAttachmentSize of ${JSON.stringify(bad)}, naming it, in the constructor and configure()`, async () => {
        const chat = new ChatSession();

        const errors = [await rejection((async () => new ChatSession({maxStoredAttachmentSize: bad}))()), await rejection(chat.configure({maxStoredAttachmentSize: bad}))];

        for (const error of errors) {
          assert.ok(error instanceof TypeError);
          assert.match(error.message, /`maxStoredAttachmentSize` must be a whole number/);
        }
      });
    }
  });

  describe('ChatSession: bad attachments', () => {
    const cases = [
      ['options that are no object', 'hi', 'files', /send\(text, options\): the options must be an object/],
      ['attachments that are no array', 'hi', {attachments: IMAGE}, /attachments must be an array/],
      ['an attachment that is no object', 'hi', {attachments: [IMAGE, null]}, /attachments\[1\] must be \{name, type, size, url\?\}/],
      ['a hole in the list', 'hi', {attachments: [, IMAGE]}, /attachments\[0\] must be/],
      ['an empty name', 'hi', {attachments: [{...IMAGE, name: ''}]}, /attachments\[0\]\.name must be a non-empty string/],
      ['a type that is no MIME type', 'hi', {attachments: [{...IMAGE, type: 'png'}]}, /attachments\[0\]\.type must be a MIME type/],
      ['a negative size', 'hi', {attachments: [{...IMAGE, size: -1}]}, /attachments\[0\]\.size must be a whole number/],
      ['a size that is no whole number', 'hi', {attachments: [{...IMAGE, size: 1.5}]}, /attachments\[0\]\.size/],
      ['a blob: URL', 'hi', {attachments: [{...IMAGE, url: 'blob:https://x/1'}]}, /attachments\[0\]\.url must be a base64 data: URL or an http\(s\) URL/],
      ['a data: URL that is not base64', 'hi', {attachments: [{...TEXT, url: 'data:text/plain,hi'}]}, /attachments\[0\]\.url/],
      ['a blank text without attachments', ' ', {attachments: []}, /send\(text\) needs a non-empty string/],
    ];
    for (const [what, text, options, named] of cases) {
      it(`rejects send() with ${what}, naming it, and changes nothing`, async () => {
        const {chat, probe} = session('openai');

        const error = await rejection(chat.send(text, options));

        assert.ok(error instanceof TypeError);
        assert.match(error.message, named);
        assert.strictEqual(chat.messages.length, 0);
        assert.deepEqual(await sentBodies(probe), []);
      });
    }

    it('rejects edit() with a bad attachment, naming it, and changes nothing', async () => {
      const {chat} = session('openai');
      await chat.send(QUESTION, {attachments: [IMAGE]});
      const before = chat.messages;

      const error = await rejection(chat.edit(before[0].id, 'x', {attachments: [{...IMAGE, size: 'big'}]}));

      assert.match(error.message, /edit\(messageId, text, options\): attachments\[0\]\.size/);
      assert.strictEqual(chat.messages, before);
    });
  });

  describe('readAttachment', () => {
    const bytesOf = (url) => Uint8Array.from(atob(url.slice(url.indexOf(',') + 1)), (character) => character.charCodeAt(0));

    it('reads a file into {name, type, size, url} with a base64 data URL', async () => {
      const file = new File([new Uint8Array([0, 1, 2, 253, 254, 255])], 'bytes.bin', {type: 'application/octet-stream'});

      const attachment = await readAttachment(file);

      assert.deepEqual(attachment, {name: 'bytes.bin', type: 'application/octet-stream', size: 6, url: 'data:application/octet-stream;base64,AAEC/f7/'});
    });

    it('encodes UTF-8 text by its bytes, its size in bytes', async () => {
      const attachment = await readAttachment(new File([TEXT_CONTENT], 'notes.txt', {type: 'text/plain'}));

      assert.deepEqual(attachment, TEXT);
    });

    it('encodes every byte of a file larger than one piece of the encoding', async () => {
      const bytes = Uint8Array.from({length: 100001}, (_, index) => (index * 7919 + (index >> 8)) & 255);

      const {url, size} = await readAttachment(new File([bytes], 'large.bin', {type: 'application/octet-stream'}));

      assert.strictEqual(size, bytes.length);
      assert.deepEqual(bytesOf(url), bytes);
    });

    it('names a Blob "attachment", and takes its media type without parameters (application/octet-stream when it has none)', async () => {
      const text = await readAttachment(new Blob(['hi'], {type: 'text/plain;charset=utf-8'}));
      const unknown = await readAttachment(new Blob(['hi']));

      assert.deepEqual([text.name, text.type, text.url], ['attachment', 'text/plain', 'data:text/plain;base64,aGk=']);
      assert.deepEqual([unknown.type, unknown.url], ['application/octet-stream', 'data:application/octet-stream;base64,aGk=']);
    });

    it('gives an attachment that send() takes as it is', async () => {
      const {chat, last} = session('openai');
      const attachment = await readAttachment(new File([new Uint8Array([137, 80, 78, 71])], 'a.png', {type: 'image/png'}));

      await chat.send('', {attachments: [attachment]});

      assert.deepEqual((await last()).content, [{type: 'image_url', image_url: {url: 'data:image/png;base64,iVBORw=='}}]);
    });

    it('rejects with the reason of a signal aborted before it starts', async () => {
      const controller = new AbortController();
      controller.abort();

      const error = await rejection(readAttachment(new Blob(['x']), {signal: controller.signal}));

      assert.strictEqual(error.name, 'AbortError');
    });

    it('rejects with the reason of a signal aborted while it reads', async () => {
      const controller = new AbortController();
      const reading = readAttachment(new Blob([new Uint8Array(1 << 20)]), {signal: controller.signal});

      controller.abort(new Error('cancelled by the reader'));

      assert.strictEqual((await rejection(reading)).message, 'cancelled by the reader');
    });

    for (const notAFile of [null, 'photo.png', {name: 'photo.png'}]) {
      it(`rejects ${JSON.stringify(notAFile)} with a TypeError naming readAttachment(file)`, async () => {
        const error = await rejection(readAttachment(notAFile));

        assert.ok(error instanceof TypeError);
        assert.match(error.message, /readAttachment\(file\) needs a File or Blob/);
      });
    }
  });
}
