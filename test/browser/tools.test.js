// <chat-stream> with client tools (issue 16): the `tools` property and `max-steps` attribute set
// its session's, and the session's `tool-call` events reach the page from the element, against
// the fixture server's `tool-round` model over real HTTP.
import {assert} from '@open-wc/testing';
import '../../src/chat-stream.ts';
import {answerText, chat, shadowAll} from './helpers.js';

const clock = {get_time: {description: 'The time in a zone', run: ({zone}) => `12:00 ${zone}`}};

describe('<chat-stream> client tools', () => {
  it('runs the tools given as a property and shows the answer that follows with their results', async () => {
    const element = await chat('tool-round', {attributes: 'format=openai'});
    element.tools = clock;

    const result = await element.send('What time is it?');
    await element.updateComplete;

    assert.strictEqual(result.text, 'Results: 12:00 UTC');
    assert.strictEqual(answerText(element), 'Results: 12:00 UTC');
  });

  it('notes no dead end under an answer whose calls ran', async () => {
    const element = await chat('tool-round', {attributes: 'format=openai'});
    element.tools = clock;

    await element.send('What time is it?');
    await element.updateComplete;

    assert.isFalse(shadowAll(element, '[part="status"]').some((status) => /cannot run/.test(status.textContent)));
  });

  it('lets the page answer a call through the element’s tool-call event', async () => {
    const element = await chat('tool-round', {attributes: 'format=openai'});
    element.tools = {get_time: {description: 'Asked of the page'}};
    element.addEventListener('tool-call', (event) => {
      event.preventDefault();
      event.detail.respond('half past');
    });

    const result = await element.send('What time is it?');

    assert.strictEqual(result.text, 'Results: half past');
  });

  it("sets the session's step limit from max-steps", async () => {
    const element = await chat('tool-round', {attributes: 'format=openai max-steps=3'});

    await element.updateComplete;

    assert.strictEqual(element.session.options.maxSteps, 3);
  });
});
