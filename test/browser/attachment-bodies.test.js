// Attachments in Chromium: the shared suite (request bodies over real HTTP, Retry, Regenerate
// and Edit, storage, readAttachment), and readAttachment on a file the page picked, checked
// against the browser's own FileReader.
import {assert} from '@open-wc/testing';
import * as core from '../../src/core/index.ts';
import {defineAttachmentsSuite} from '../core/attachments.suite.js';
import {openai} from '../../src/core/formats/openai.ts';
import {openaiResponses} from '../../src/core/formats/openai-responses.ts';
import {anthropic} from '../../src/core/formats/anthropic.ts';
import {aiSdk} from '../../src/core/formats/ai-sdk.ts';
import {ndjson} from '../../src/core/formats/ndjson.ts';

const {readAttachment} = core;

defineAttachmentsSuite({describe, it, assert, core, origin: () => location.origin});

describe('readAttachment on a file input’s file', () => {
  /** The file as an <input type=file> holds it once picked. */
  const picked = (file) => {
    const input = document.createElement('input');
    input.type = 'file';
    const transfer = new DataTransfer();
    transfer.items.add(file);
    input.files = transfer.files;
    return input.files[0];
  };
  const fileReaderUrl = (file) =>
    new Promise((resolve, reject) => {
      const reader = new FileReader();
      reader.onload = () => resolve(reader.result);
      reader.onerror = () => reject(reader.error);
      reader.readAsDataURL(file);
    });

  it('gives the data URL FileReader gives, for every byte value of a file larger than one piece', async () => {
    const bytes = Uint8Array.from({length: 300007}, (_, index) => (index * 31 + (index >> 10)) & 255);
    const file = picked(new File([bytes], 'photo.jpg', {type: 'image/jpeg'}));

    const attachment = await readAttachment(file);

    assert.deepEqual({...attachment, url: undefined}, {name: 'photo.jpg', type: 'image/jpeg', size: 300007, url: undefined});
    assert.strictEqual(attachment.url, await fileReaderUrl(file));
  });

  it('gives the data URL FileReader gives for UTF-8 text', async () => {
    const file = picked(new File(['Olá, 世界 👋 — ünïcödé\n'.repeat(2000)], 'notes.md', {type: 'text/markdown'}));

    const attachment = await readAttachment(file);

    assert.strictEqual(attachment.url, await fileReaderUrl(file));
  });
});

describe('Request bodies with attachments, built by each format', () => {
  const build = (format, messages) => JSON.parse(JSON.stringify(format.buildBody({messages, body: {}, chatId: 'm1', trigger: 'submit-message'})));
  const image = {name: 'pixel.png', type: 'image/png', size: 6, url: 'data:image/png;base64,iVBORwD/'};
  const call = {id: 'call_1', name: 'clock', arguments: '{}', input: {}, result: '12:00', isError: false};

  for (const [name, format] of Object.entries({openai, 'openai-responses': openaiResponses, anthropic, 'ai-sdk': aiSdk, ndjson})) {
    it(`${name}: sends messages with an empty attachments list as before`, () => {
      const plain = [{id: 'm1', role: 'user', content: 'Hi'}, {id: 'm2', role: 'assistant', content: 'Hello!'}];

      assert.deepEqual(build(format, plain.map((message) => ({...message, attachments: []}))), build(format, plain));
    });
  }

  it('anthropic: puts a question with files that follows tool results in their user turn, the files then the text', () => {
    const body = build(anthropic, [
      {id: 'm1', role: 'user', content: 'Time?'},
      {id: 'm2', role: 'assistant', content: '', toolCalls: [call]},
      {id: 'm3', role: 'user', content: 'And this?', attachments: [image]},
    ]);

    assert.deepEqual(body.messages.at(-1), {
      role: 'user',
      content: [
        {type: 'tool_result', tool_use_id: 'call_1', content: '12:00'},
        {type: 'image', source: {type: 'base64', media_type: 'image/png', data: 'iVBORwD/'}},
        {type: 'text', text: 'And this?'},
      ],
    });
  });

  it('anthropic: sends an image whose type is written in capitals with its media type in lower case', () => {
    const body = build(anthropic, [{id: 'm1', role: 'user', content: '', attachments: [{...image, type: 'IMAGE/PNG'}]}]);

    assert.deepEqual(body.messages[0].content, [{type: 'image', source: {type: 'base64', media_type: 'image/png', data: 'iVBORwD/'}}]);
  });
});
