// <chat-stream> attachments (issue 16): the Attach button, paste and drop with `accept`, the
// limits, the chips, the request's parts over real HTTP from the fixture server (probes record
// each body), the page's `upload`, and the files in the log, across Retry, Regenerate and Edit.
import {assert} from '@open-wc/testing';
import {setViewport} from '@web/test-runner-commands';
import {html, render} from 'lit';
import '../../src/chat-stream.ts';
import {accepts} from '../../src/attachment-rules.ts';
import {messageAttachments} from '../../src/attachment-template.ts';
import {EN} from '../../src/strings.ts';
import {announcements, chat, newProbe, readProbe, shadow, shadowAll, waitFor} from './helpers.js';

// A 1×1 PNG.
const PNG_BASE64 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';
const PNG_DATA_URL = `data:image/png;base64,${PNG_BASE64}`;
const png = (name = 'photo.png') => new File([Uint8Array.from(atob(PNG_BASE64), (c) => c.charCodeAt(0))], name, {type: 'image/png'});
const text = (name = 'notes.txt', contents = 'hello') => new File([contents], name, {type: 'text/plain'});

const transfer = (...files) => {
  const data = new DataTransfer();
  for (const file of files) data.items.add(file);
  return data;
};

/** Chooses files in the Attach button's file chooser. */
async function choose(element, ...files) {
  const input = shadow(element, 'input[type="file"]');
  input.files = transfer(...files).files;
  input.dispatchEvent(new Event('change', {bubbles: true}));
  await element.updateComplete;
}

/** Pastes `data` into the input; returns the event. */
function paste(element, data) {
  const event = new ClipboardEvent('paste', {clipboardData: data, bubbles: true, cancelable: true, composed: true});
  shadow(element, '[part="input"]').dispatchEvent(event);
  return event;
}

/** Drags `data` over the conversation (`dragenter`, `dragover`) and, unless told not to, drops it there. */
async function drag(element, data, {drop = true} = {}) {
  const log = shadow(element, '[part="log"]');
  for (const type of ['dragenter', 'dragover', ...(drop ? ['drop'] : [])]) {
    log.dispatchEvent(new DragEvent(type, {dataTransfer: data, bubbles: true, cancelable: true, composed: true}));
  }
  await element.updateComplete;
}

const chips = (element) => shadowAll(element, '[part="attachment"]');
const ready = (element) => waitFor(() => chips(element).every((chip) => chip.dataset.state === 'ready'), 'the files to be ready');
const refusal = (element) => shadow(element, '[part="attachment-error"]');

/** A chat on `scenario` that takes images, with photo.png ready to send. */
async function chatWithImage(scenario, params = {}) {
  const element = await chat(scenario, {params, attributes: 'accept=image/*'});
  await element.updateComplete;
  await choose(element, png());
  await ready(element);
  return element;
}

/** Does `act` and resolves once the element fires `type` (the answer drawn, by default). */
async function until(element, act, type = 'done') {
  const fired = new Promise((resolve) => element.addEventListener(type, resolve, {once: true}));
  act();
  await fired;
  await element.updateComplete;
}

/** Types `words` and presses Send; resolves once the answer is drawn. */
function submit(element, words = '', type = 'done') {
  shadow(element, '[part="input"]').value = words;
  return until(element, () => shadow(element, '[part="form"]').requestSubmit(), type);
}

const click = (element, part) => until(element, () => shadow(element, `[part="${part}"]`).click());

/** The image URLs in the last user message of a request body (chat completions' `image_url` parts). */
function sentImages(body) {
  const question = JSON.parse(body).messages.findLast((message) => message.role === 'user');
  return Array.isArray(question.content) ? question.content.filter((part) => part.type === 'image_url').map((part) => part.image_url.url) : [];
}

/** Runs `action` with console.error recorded instead of printed. */
async function consoleErrors(action) {
  const original = console.error;
  const errors = [];
  console.error = (...args) => errors.push(args.map(String).join(' '));
  try {
    await action();
  } finally {
    console.error = original;
  }
  return errors;
}

describe('<chat-stream> attachments: taking files', () => {
  it('has no Attach button and leaves pasted and dropped files alone without accept', async () => {
    const element = await chat('greeting');

    const pasted = paste(element, transfer(png()));
    await drag(element, transfer(png()));

    assert.isNull(shadow(element, '[part="attach-button"]'));
    assert.isFalse(pasted.defaultPrevented);
    assert.lengthOf(chips(element), 0);
  });

  it('opens the file chooser from an Attach button named "Attach files"', async () => {
    const element = await chat('greeting', {attributes: 'accept=image/*'});
    await element.updateComplete;
    const input = shadow(element, 'input[type="file"]');
    let opened = false;
    input.addEventListener('click', (event) => {
      event.preventDefault();
      opened = true;
    });

    shadow(element, '[part="attach-button"]').click();

    assert.strictEqual(shadow(element, '[part="attach-button"]').getAttribute('aria-label'), 'Attach files');
    assert.isTrue(opened);
    assert.strictEqual(input.accept, 'image/*');
    assert.isTrue(input.multiple);
  });

  it('attaches the files chosen in the file chooser', async () => {
    const element = await chat('greeting', {attributes: 'accept=image/*,.txt'});
    await element.updateComplete;

    await choose(element, png(), text());

    assert.deepEqual(
      chips(element).map((chip) => chip.querySelector('.name').textContent),
      ['photo.png', 'notes.txt'],
    );
  });

  it('attaches files pasted into the input instead of pasting them', async () => {
    const element = await chat('greeting', {attributes: 'accept=image/*'});
    await element.updateComplete;

    const pasted = paste(element, transfer(png('pasted.png')));
    await element.updateComplete;

    assert.isTrue(pasted.defaultPrevented);
    assert.deepEqual(chips(element).map((chip) => chip.querySelector('.name').textContent), ['pasted.png']);
  });

  it('leaves a paste of text to the browser', async () => {
    const element = await chat('greeting', {attributes: 'accept=image/*'});
    await element.updateComplete;
    const data = new DataTransfer();
    data.setData('text/plain', 'just words');

    const pasted = paste(element, data);

    assert.isFalse(pasted.defaultPrevented);
    assert.lengthOf(chips(element), 0);
  });

  it('shows the drop target while files are dragged over the element', async () => {
    const element = await chat('greeting', {attributes: 'accept=image/*'});
    await element.updateComplete;

    await drag(element, transfer(png()), {drop: false});

    assert.isTrue(element.hasAttribute('drop-target'));
    assert.isFalse(shadow(element, '[part="drop-target"]').hidden);
    assert.strictEqual(shadow(element, '[part="drop-target"]').textContent.trim(), 'Drop files to attach');
  });

  it('hides the drop target when the files are dragged away', async () => {
    const element = await chat('greeting', {attributes: 'accept=image/*'});
    await element.updateComplete;
    await drag(element, transfer(png()), {drop: false});

    shadow(element, '[part="log"]').dispatchEvent(new DragEvent('dragleave', {dataTransfer: transfer(png()), bubbles: true, composed: true}));
    await element.updateComplete;

    assert.isFalse(element.hasAttribute('drop-target'));
    assert.isTrue(shadow(element, '[part="drop-target"]').hidden);
  });

  it('attaches files dropped anywhere on the element, and hides the drop target', async () => {
    const element = await chat('greeting', {attributes: 'accept=image/*'});
    await element.updateComplete;

    await drag(element, transfer(png('dropped.png')));

    assert.deepEqual(chips(element).map((chip) => chip.querySelector('.name').textContent), ['dropped.png']);
    assert.isFalse(element.hasAttribute('drop-target'));
    assert.isTrue(shadow(element, '[part="drop-target"]').hidden);
  });

  it('matches accept as <input accept> does: type/*, exact MIME types and extensions, in any case', () => {
    const file = (name, type) => ({name, type});

    assert.isTrue(accepts('image/*', file('a.png', 'image/png')));
    assert.isTrue(accepts('application/pdf', file('a.pdf', 'Application/PDF')));
    assert.isTrue(accepts('image/*, .PDF', file('REPORT.pdf', '')));
    assert.isTrue(accepts('*/*', file('a.bin', '')));
    assert.isFalse(accepts('image/*', file('a.txt', 'text/plain')));
    assert.isFalse(accepts('.pdf', file('a.pdf.exe', 'application/x-msdownload')));
    assert.isFalse(accepts('text/plain', file('a.txt', 'text/plain-ish')));
  });
});

describe('<chat-stream> attachments: limits', () => {
  it('refuses a file of a type accept leaves out, saying so near the input and in the live region', async () => {
    const element = await chat('greeting', {attributes: 'accept=image/*'});
    await element.updateComplete;

    const said = await announcements(element, () => choose(element, text('virus.exe')));

    assert.lengthOf(chips(element), 0);
    assert.strictEqual(refusal(element).textContent, '“virus.exe” is not a type of file this chat accepts.');
    assert.include(said, '“virus.exe” is not a type of file this chat accepts.');
  });

  it('refuses a file larger than max-file-size, naming the limit in a readable unit', async () => {
    const element = await chat('greeting', {attributes: 'accept=.txt max-file-size=1024'});
    await element.updateComplete;

    await choose(element, text('big.txt', 'x'.repeat(1025)), text('small.txt', 'x'.repeat(1024)));

    assert.deepEqual(chips(element).map((chip) => chip.querySelector('.name').textContent), ['small.txt']);
    assert.strictEqual(refusal(element).textContent, '“big.txt” is too large: files can be up to 1 kB.');
  });

  it('says the size limit in the element’s language', async () => {
    const element = await chat('greeting', {attributes: 'accept=.txt max-file-size=1536 lang=de'});
    await waitFor(() => shadow(element, '[part="send-button"]').textContent.trim() === 'Senden', 'the German strings');

    await choose(element, text('groß.txt', 'x'.repeat(2000)));

    assert.strictEqual(refusal(element).textContent, '„groß.txt“ ist zu groß: Dateien dürfen höchstens 1,5 kB groß sein.');
  });

  it('takes no more files than max-files, saying how many it takes', async () => {
    const element = await chat('greeting', {attributes: 'accept=.txt max-files=2'});
    await element.updateComplete;
    await choose(element, text('1.txt'));

    await choose(element, text('2.txt'), text('3.txt'));

    assert.deepEqual(chips(element).map((chip) => chip.querySelector('.name').textContent), ['1.txt', '2.txt']);
    assert.strictEqual(refusal(element).textContent, 'Too many files: up to 2 can be attached.');
  });

  it('names a bad max-file-size in the console and keeps the 10 MiB default', async () => {
    const element = await chat('greeting', {attributes: 'accept=.txt'});

    const errors = await consoleErrors(async () => {
      element.setAttribute('max-file-size', 'lots');
      await element.updateComplete;
    });
    await choose(element, text('nine.txt', 'x'.repeat(9 * 1024 * 1024)), text('eleven.txt', 'x'.repeat(11 * 1024 * 1024)));

    assert.lengthOf(errors, 1);
    assert.include(errors[0], '`maxFileSize` must be a whole number above 0 (got NaN)');
    assert.deepEqual(chips(element).map((chip) => chip.querySelector('.name').textContent), ['nine.txt']);
    assert.strictEqual(refusal(element).textContent, '“eleven.txt” is too large: files can be up to 10 MB.');
  });
});

describe('<chat-stream> attachments: chips', () => {
  it("shows an image's thumbnail, and another file's icon, with each file's name and size", async () => {
    const element = await chat('greeting', {attributes: 'accept=image/*,.txt'});
    await element.updateComplete;

    await choose(element, png(), text('notes.txt', 'x'.repeat(1536)));

    const [image, notes] = chips(element);
    assert.match(image.querySelector('img.thumbnail').src, /^blob:/);
    assert.isNull(notes.querySelector('img'));
    assert.isNotNull(notes.querySelector('svg'));
    assert.deepEqual([notes.querySelector('.name').textContent, notes.querySelector('.name').title, notes.querySelector('.size').textContent], ['notes.txt', 'notes.txt', '1.5 kB']);
    assert.strictEqual(shadow(element, '[part="attachments"]').getAttribute('aria-label'), 'Attachments');
  });

  it('removes a chip with its remove button, named with the file’s name, and lets its thumbnail go', async () => {
    const element = await chat('greeting', {attributes: 'accept=image/*'});
    await element.updateComplete;
    await choose(element, png());
    const thumbnail = chips(element)[0].querySelector('img').src;
    const remove = shadow(element, '[part="attachment-remove-button"]');

    remove.click();
    await element.updateComplete;

    assert.strictEqual(remove.getAttribute('aria-label'), 'Remove photo.png');
    assert.lengthOf(chips(element), 0);
    assert.strictEqual(element.shadowRoot.activeElement, shadow(element, '[part="input"]'));
    let revoked = false;
    await fetch(thumbnail).catch(() => (revoked = true));
    assert.isTrue(revoked);
  });

  it('keeps the chips when Escape stops an answer', async () => {
    const element = await chat('slow', {attributes: 'accept=image/*'});
    void element.send('hi');
    await waitFor(() => element.streaming, 'the answer to stream');
    await choose(element, png());

    shadow(element, '[part="input"]').dispatchEvent(new KeyboardEvent('keydown', {key: 'Escape', bubbles: true, composed: true, cancelable: true}));
    await element.updateComplete;

    assert.isFalse(element.streaming);
    assert.lengthOf(chips(element), 1);
  });
});

describe('<chat-stream> attachments: sending', () => {
  it('sends an image as an image_url part with its data URL, beside the text', async () => {
    const probe = newProbe();
    const element = await chatWithImage('greeting', {probe});

    await submit(element, 'What is this?');

    const question = JSON.parse((await readProbe(probe)).body).messages.at(-1);
    assert.deepEqual(sentImages((await readProbe(probe)).body), [PNG_DATA_URL]);
    assert.deepInclude(question.content, {type: 'text', text: 'What is this?'});
  });

  it('sends files without any text', async () => {
    const probe = newProbe();
    const element = await chatWithImage('greeting', {probe});

    await submit(element, '  ');

    assert.deepEqual(sentImages((await readProbe(probe)).body), [PNG_DATA_URL]);
    assert.strictEqual(element.messages[0].content, '');
  });

  it('clears the chips once sent', async () => {
    const element = await chatWithImage('greeting');

    await submit(element, 'Look');

    assert.lengthOf(chips(element), 0);
  });

  it("shows the files sent in the question's bubble: an image's thumbnail named by its name, another file's name and size", async () => {
    const element = await chat('greeting', {attributes: 'accept=image/*,.txt'});
    await element.updateComplete;
    await choose(element, png(), text('notes.txt', 'hello'));
    await ready(element);

    await submit(element, 'Look');

    const [image, notes] = shadowAll(element, '[part~="user"] [part="message-attachment"]');
    const thumbnail = image.querySelector('img');
    assert.deepEqual([thumbnail.src, thumbnail.alt, thumbnail.loading], [PNG_DATA_URL, 'photo.png', 'lazy']);
    assert.deepEqual([notes.querySelector('.name').textContent, notes.querySelector('.size').textContent], ['notes.txt', '5 bytes']);
  });

  it('shows a sent file whose contents were not kept as "File not kept"', () => {
    const container = document.createElement('div');

    render(html`${messageAttachments([{name: 'photo.png', type: 'image/png', size: 2048}], EN, 'en')}`, container);

    const item = container.querySelector('[part="message-attachment"]');
    assert.isNull(item.querySelector('img'));
    assert.deepEqual([item.querySelector('.name').textContent, item.querySelector('.size').textContent, item.querySelector('.not-kept').textContent], ['photo.png', '2 kB', 'File not kept']);
  });

  it('gives the files back with the text when a request listener cancels the send', async () => {
    const element = await chatWithImage('greeting');
    element.addEventListener('request', (event) => event.preventDefault(), {once: true});

    shadow(element, '[part="input"]').value = 'Look';
    shadow(element, '[part="form"]').requestSubmit();
    await waitFor(() => chips(element).length === 1, 'the files to come back');

    assert.strictEqual(shadow(element, '[part="input"]').value, 'Look');
    assert.match(chips(element)[0].querySelector('img').src, /^blob:/);
  });

  it('gives the files back with the text when a sign-in is needed', async () => {
    const element = await chat('greeting', {token: '', attributes: 'accept=image/*'});
    await element.updateComplete;
    await choose(element, png());
    await ready(element);

    await submit(element, 'Look', 'login-required');

    assert.strictEqual(shadow(element, '[part="input"]').value, 'Look');
    assert.lengthOf(chips(element), 1);
    assert.lengthOf(element.messages, 0);
  });

  it('sends the attachments given to send() from code', async () => {
    const probe = newProbe();
    const element = await chat('greeting', {params: {probe}});

    await element.send('What is this?', {attachments: [{name: 'photo.png', type: 'image/png', size: 70, url: PNG_DATA_URL}]});

    assert.deepEqual(sentImages((await readProbe(probe)).body), [PNG_DATA_URL]);
  });

  // Regenerate after an answer; Retry after the first request failed (400: not retried on its own).
  for (const [action, failure, first] of [['regenerate', {}, 'done'], ['retry', {fail: '1', failStatus: '400'}, 'error']]) {
    it(`sends the files again on ${action}`, async () => {
      const probe = newProbe();
      const element = await chatWithImage('greeting', {probe, ...failure});
      await submit(element, 'Look', first);

      await click(element, `${action}-button`);

      const {history} = await readProbe(probe);
      assert.lengthOf(history, 2);
      assert.deepEqual(sentImages(history[1].body), [PNG_DATA_URL]);
    });
  }

  it('keeps the files of an edited question, in its bubble and in the request', async () => {
    const probe = newProbe();
    const element = await chatWithImage('greeting', {probe});
    await submit(element, 'Look');

    shadow(element, '[part="edit-button"]').click();
    await element.updateComplete;
    shadow(element, '[part="editor-input"]').value = 'Look closer';
    await until(element, () => shadow(element, '[part="editor"]').requestSubmit());

    const {history} = await readProbe(probe);
    assert.deepEqual(sentImages(history[1].body), [PNG_DATA_URL]);
    assert.strictEqual(shadow(element, '[part~="user"] [part="message-attachment"] img').alt, 'photo.png');
  });
});

describe('<chat-stream> attachments: upload', () => {
  /** An `upload` that reports half done and gives `url` once `finish()` is called; it records the signal it got. */
  function heldUpload(url) {
    const held = {signal: null, finish: null};
    held.upload = (file, {signal, progress}) => {
      held.signal = signal;
      progress(0.5);
      return new Promise((resolve) => (held.finish = () => resolve(url)));
    };
    return held;
  }

  it('shows the upload’s progress on the chip, named for the file', async () => {
    const element = await chat('greeting', {attributes: 'accept=image/*'});
    element.upload = heldUpload('https://files.example/1.png').upload;
    await element.updateComplete;

    await choose(element, png());

    const progress = chips(element)[0].querySelector('progress');
    assert.strictEqual(progress.value, 0.5);
    assert.strictEqual(progress.getAttribute('aria-label'), 'Uploading photo.png');
  });

  it('waits for the upload: Send says why and sends nothing meanwhile', async () => {
    const probe = newProbe();
    const element = await chat('greeting', {params: {probe}, attributes: 'accept=image/*'});
    element.upload = heldUpload('https://files.example/1.png').upload;
    await element.updateComplete;
    await choose(element, png());
    shadow(element, '[part="input"]').value = 'Look';

    const said = await announcements(element, () => shadow(element, '[part="form"]').requestSubmit());

    assert.strictEqual(shadow(element, '[part="send-button"]').getAttribute('aria-disabled'), 'true');
    assert.include(said, 'The files are still being prepared: send once they are ready.');
    assert.strictEqual((await readProbe(probe)).requests, 0);
    assert.strictEqual(shadow(element, '[part="input"]').value, 'Look');
  });

  it('sends the URL upload gave instead of a data URL', async () => {
    const probe = newProbe();
    const element = await chat('greeting', {params: {probe}, attributes: 'accept=image/*'});
    const held = heldUpload(new URL('https://files.example/1.png'));
    element.upload = held.upload;
    await element.updateComplete;
    await choose(element, png());

    held.finish();
    await ready(element);
    await submit(element, 'Look');

    assert.deepEqual(sentImages((await readProbe(probe)).body), ['https://files.example/1.png']);
  });

  it('aborts the upload of a chip that is removed', async () => {
    const element = await chat('greeting', {attributes: 'accept=image/*'});
    const held = heldUpload('https://files.example/1.png');
    element.upload = held.upload;
    await element.updateComplete;
    await choose(element, png());

    shadow(element, '[part="attachment-remove-button"]').click();

    assert.isTrue(held.signal.aborted);
  });

  it('shows a failed upload on its chip with its error, and Send waits until it is removed', async () => {
    const element = await chat('greeting', {attributes: 'accept=image/*'});
    element.upload = async () => {
      throw new Error('quota exceeded');
    };
    await element.updateComplete;

    const said = await announcements(element, () => choose(element, png()));
    await element.updateComplete;

    const [chip] = chips(element);
    assert.strictEqual(chip.dataset.state, 'failed');
    assert.strictEqual(chip.querySelector('.failure').textContent, '“photo.png” could not be attached: quota exceeded');
    assert.include(said, '“photo.png” could not be attached: quota exceeded');
    const refused = await announcements(element, () => shadow(element, '[part="form"]').requestSubmit());
    assert.include(refused, 'A file could not be attached: remove it to send.');
  });

  it('names an upload that gives no URL in the console, and fails its chip', async () => {
    const element = await chat('greeting', {attributes: 'accept=image/*'});
    element.upload = () => 42;
    await element.updateComplete;

    const errors = await consoleErrors(async () => {
      await choose(element, png());
      await waitFor(() => chips(element)[0].dataset.state === 'failed', 'the upload to fail');
    });

    assert.match(errors.join('\n'), /`upload` must give the file's URL, a string or URL \(got 42\)/);
  });
});

describe('<chat-stream> attachments: layout', () => {
  const LONG_NAME = `${'a-very-long-file-name-without-any-break'.repeat(3)}.png`;
  const box = (element) => element.getBoundingClientRect();

  afterEach(() => setViewport({width: 800, height: 600}));

  it('fits 320 px with long-named files waiting and sent', async () => {
    await setViewport({width: 320, height: 640});
    const element = await chat('greeting', {attributes: 'accept=image/*,.txt'});
    element.style.width = '320px';
    await element.updateComplete;
    await choose(element, png(LONG_NAME), text(`${LONG_NAME}.txt`));
    await ready(element);
    await submit(element, 'Look');
    await choose(element, png(LONG_NAME), text(`${LONG_NAME}.txt`));

    const [form, log] = [shadow(element, '[part="form"]'), shadow(element, '[part="log"]')];
    assert.isAtMost(form.scrollWidth, form.clientWidth, 'the composer scrolls sideways');
    assert.isAtMost(log.scrollWidth, log.clientWidth, 'the log scrolls sideways');
    assert.isAtMost(element.scrollWidth, element.clientWidth, 'the element scrolls sideways');
  });

  it('makes Attach and the remove buttons at least 24×24 px', async () => {
    const element = await chat('greeting', {attributes: 'accept=image/*'});
    await element.updateComplete;
    await choose(element, png());

    const small = shadowAll(element, '[part="attach-button"], [part="attachment-remove-button"]').filter((button) => box(button).width < 24 || box(button).height < 24);

    assert.isEmpty(small);
  });

  it('mirrors a chip right to left: its remove button at the inline end', async () => {
    const element = await chat('greeting', {attributes: 'accept=image/*'});
    element.dir = 'rtl';
    await element.updateComplete;
    await choose(element, png());

    const [chip] = chips(element);

    assert.isBelow(box(chip.querySelector('[part="attachment-remove-button"]')).left, box(chip.querySelector('.name')).left);
  });
});
