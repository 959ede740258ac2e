// <chat-stream> with client tools (issue 16): the `tools` property and `max-steps` attribute set
// its session's, the session's `tool-call` events reach the page from the element, and each call
// shows as a card, against the fixture server's `tool-round` model over real HTTP.
import {assert, fixture, html} from '@open-wc/testing';
import '../../src/chat-stream.ts';
import {ChatSession} from '../../src/core/index.ts';
import {announcements, answerText, chat, newProbe, pause, readProbe, shadow, shadowAll, waitFor} from './helpers.js';

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

// The tool calls' cards: one per call inside its answer, with its name, arguments and state,
// Approve and Deny while the reader decides, the result collapsed; over real HTTP, the stream
// cut at every byte.
describe('<chat-stream> tool call cards', () => {
  const cards = (element) => shadowAll(element, '[part~="tool-call"]');
  const cardText = (card, selector) => card.querySelector(selector)?.textContent.trim();
  const hostile = (attributes = 'format=openai', probe = newProbe()) => chat('tool-round', {params: {split: 'hostile', probe}, attributes});
  /** A tool whose run waits until the test ends it. */
  const held = () => {
    let finish;
    const result = new Promise((resolve) => (finish = resolve));
    return {finish, tools: {get_time: {run: () => result}}};
  };
  /** Where focus is, by its part (or the page's element outside): a failed assertion prints that, not the element. */
  const focused = (element) => element.shadowRoot.activeElement?.getAttribute('part') ?? document.activeElement?.tagName;
  const waitForCard = (element, state) => waitFor(() => cards(element).some((card) => card.dataset.state === state), `a card ${state}`);
  /** A question whose call waits for the reader's approval: the element, and its send's promise. */
  const awaitingApproval = async (probe) => {
    const element = await hostile('format=openai', probe);
    element.tools = {get_time: {...clock.get_time, confirm: true}};
    const sent = element.send('What time is it?');
    await waitFor(() => shadow(element, '[part="tool-approve-button"]'), 'the Approve and Deny buttons');
    return {element, sent};
  };

  it('shows a card per call with its name, arguments and state, in order', async () => {
    const element = await hostile();
    element.tools = {get_time: clock.get_time, add: {run: ({a, b}) => a + b}};

    await element.send('Do both');
    await element.updateComplete;

    assert.deepEqual(
      cards(element).map((card) => [cardText(card, '.tool-name'), cardText(card, '.tool-arguments'), cardText(card, '.tool-state')]),
      [['get_time', '{"zone":"UTC"}', 'Done'], ['add', '{"a":2,"b":3}', 'Done']],
    );
  });

  it('names each card by its tool and state, for a screen reader', async () => {
    const element = await hostile();
    element.tools = clock;

    await element.send('What time is it?');
    await element.updateComplete;

    assert.deepEqual(cards(element).map((card) => [card.getAttribute('role'), card.getAttribute('aria-label')]), [['group', 'get_time, Done']]);
  });

  it('shows a call running, then done with its result collapsed, as indented JSON', async () => {
    const element = await hostile();
    const {finish, tools} = held();
    element.tools = tools;
    const sent = element.send('What time is it?');
    await waitForCard(element, 'running');
    const running = cardText(cards(element)[0], '.tool-state');

    finish({time: '12:00', zone: 'UTC'});
    await sent;
    await element.updateComplete;

    const [card] = cards(element);
    assert.strictEqual(running, 'Running');
    assert.strictEqual(card.dataset.state, 'done');
    assert.isFalse(card.querySelector('details').open);
    assert.strictEqual(cardText(card, 'summary'), 'Result');
    assert.strictEqual(card.querySelectorAll('pre')[1].textContent, '{\n  "time": "12:00",\n  "zone": "UTC"\n}');
  });

  it('shows a string result as it is', async () => {
    const element = await hostile();
    element.tools = clock;

    await element.send('What time is it?');
    await element.updateComplete;

    assert.strictEqual(cards(element)[0].querySelectorAll('pre')[1].textContent, '12:00 UTC');
  });

  it('runs a call the reader approves with its Approve button, and sends its result', async () => {
    const probe = newProbe();
    const {element, sent} = await awaitingApproval(probe);

    shadow(element, '[part="tool-approve-button"]').click();
    const result = await sent;
    await element.updateComplete;

    const {history} = await readProbe(probe);
    assert.strictEqual(result.text, 'Results: 12:00 UTC');
    assert.deepEqual(JSON.parse(history[1].body).messages.at(-1), {role: 'tool', tool_call_id: 'call_time', content: '12:00 UTC'});
    assert.strictEqual(cards(element)[0].dataset.state, 'done');
  });

  it('names the Approve and Deny buttons with the tool, in a card that waits for approval', async () => {
    const {element} = await awaitingApproval();

    const [card] = cards(element);
    assert.strictEqual(card.getAttribute('aria-label'), 'get_time, Waiting for approval');
    assert.deepEqual(
      [...card.querySelectorAll('button')].map((button) => [button.getAttribute('part'), button.textContent.trim(), button.getAttribute('aria-label')]),
      [['tool-approve-button', 'Approve', 'Approve get_time'], ['tool-deny-button', 'Deny', 'Deny get_time']],
    );
  });

  it('sends a refusal for a call the reader denies with its Deny button, and the card says denied', async () => {
    const {element, sent} = await awaitingApproval();

    shadow(element, '[part="tool-deny-button"]').click();
    const result = await sent;
    await element.updateComplete;

    const [card] = cards(element);
    assert.strictEqual(result.text, 'Results: The user denied this call');
    assert.strictEqual(card.dataset.state, 'denied');
    assert.strictEqual(cardText(card, '.tool-state'), 'Denied');
    assert.lengthOf(card.querySelectorAll('button'), 0);
  });

  it('keeps focus on the card once Approve is pressed', async () => {
    const {element, sent} = await awaitingApproval();
    const approve = shadow(element, '[part="tool-approve-button"]');
    approve.focus();

    approve.click();
    await sent;
    await element.updateComplete;

    assert.strictEqual(focused(element), 'tool-call done');
  });

  it('announces once that a call waits for approval, and leaves focus where it was', async () => {
    const element = await hostile();
    element.tools = {get_time: {...clock.get_time, confirm: true}};
    const input = shadow(element, '[part="input"]');
    input.focus();

    const said = await announcements(element, async () => {
      element.send('What time is it?');
      await waitForCard(element, 'approval');
      await pause(200);
      element.requestUpdate();
    });

    assert.deepEqual(said, ['Waiting for your approval to run get_time.']);
    assert.strictEqual(focused(element), 'input');
  });

  it('announces the answer after the tools, and nothing for the answer of calls alone', async () => {
    const element = await chat('tool-round', {params: {split: 'bytes', pace: '5'}, attributes: 'format=openai'});
    element.tools = clock;

    const said = await announcements(element, () => element.send('What time is it?'));

    assert.deepEqual(said, ['Answer: Results: 12:00 UTC']);
  });

  it('shows why a call failed: an unknown tool, a run that throws', async () => {
    const element = await hostile();
    element.tools = {get_time: {run: () => Promise.reject(new Error('clock broken'))}};

    await element.send('Do both');
    await element.updateComplete;

    assert.deepEqual(
      cards(element).map((card) => [card.dataset.state, cardText(card, '.tool-state'), cardText(card, '.tool-error')]),
      [['failed', 'Failed', 'clock broken'], ['failed', 'Failed', 'There is no tool "add" here']],
    );
  });

  it('shows a call stopped while it ran as stopped', async () => {
    const element = await hostile();
    element.tools = held().tools;
    const sent = element.send('What time is it?');
    await waitForCard(element, 'running');

    element.stop();
    await sent;
    await element.updateComplete;

    assert.deepEqual(cards(element).map((card) => [card.dataset.state, cardText(card, '.tool-state')]), [['stopped', 'Stopped']]);
  });

  it('shows a call the chat was given no tool for as not run, with the note that says why', async () => {
    const element = await hostile();

    await element.send('What time is it?');
    await element.updateComplete;

    assert.strictEqual(cardText(cards(element)[0], '.tool-state'), 'Not run');
    assert.strictEqual(shadow(element, '[part~="assistant"] [part="status"]').textContent.trim(), 'The model asked to call get_time, which this chat cannot run yet.');
  });

  it('renders a result that holds markup as text', async () => {
    const markup = '<img src="x" onerror="window.__toolXss = true">';
    const element = await hostile();
    element.tools = {get_time: {run: () => markup}};

    await element.send('What time is it?');
    await element.updateComplete;

    const [card] = cards(element);
    assert.strictEqual(card.querySelectorAll('pre')[1].textContent, markup);
    assert.isNull(card.querySelector('img'));
    assert.isUndefined(window.__toolXss);
  });

  it('renders a conversation set with calls in every state, those that ran or waited when it was kept as stopped, with no buttons', async () => {
    const element = await chat('tool-round');
    const states = ['approval', 'running', 'done', 'failed', 'denied', 'stopped', 'asked'];

    element.messages = [
      {role: 'user', content: 'Every state'},
      {role: 'assistant', content: '', toolCalls: states.map((state) => ({id: state, name: `tool_${state}`, arguments: '{}', input: {}, state, result: 'ok', error: 'broke'}))},
    ];
    await element.updateComplete;

    assert.deepEqual(
      cards(element).map((card) => [cardText(card, '.tool-name'), card.dataset.state]),
      [['tool_approval', 'stopped'], ['tool_running', 'stopped'], ['tool_done', 'done'], ['tool_failed', 'failed'], ['tool_denied', 'denied'], ['tool_stopped', 'stopped'], ['tool_asked', 'asked']],
    );
    assert.lengthOf(shadowAll(element, '[part~="tool-call"] button'), 0);
  });

  it('shows the calls restored from storage with what came back', async () => {
    const conversationId = `tools-${newProbe()}`;
    const first = await hostile(`format=openai persist=session conversation-id=${conversationId}`);
    first.tools = clock;
    await first.send('What time is it?');

    const reloaded = await chat('tool-round', {attributes: `persist=session conversation-id=${conversationId}`});
    await reloaded.updateComplete;

    const [card] = cards(reloaded);
    assert.deepEqual([cardText(card, '.tool-name'), card.dataset.state, card.querySelectorAll('pre')[1].textContent], ['get_time', 'done', '12:00 UTC']);
  });

  it('shows the calls of a route written with the AI SDK as read-only cards, running as they stream, then done with the tool’s output', async () => {
    // The route's weather tool runs on its server (test/fixtures/ai-sdk-server.js, the real `ai` package).
    const element = await fixture(html`<chat-stream endpoint="/ai-sdk/tool?split=hostile&pace=2" format="ai-sdk" no-token></chat-stream>`);
    element.tools = {weather: {run: () => assert.fail('a call the server runs is not run by the page')}};
    const seen = new Set();
    let watching = true;
    const watch = () => {
      for (const card of cards(element)) seen.add(card.dataset.state);
      if (watching) requestAnimationFrame(watch);
    };
    watch();

    const result = await element.send('Weather in Paris?');
    watching = false;
    await element.updateComplete;

    const [card] = cards(element);
    assert.strictEqual(result.status, 'done');
    assert.deepEqual([cards(element).length, card.getAttribute('part'), cardText(card, '.tool-name')], [1, 'tool-call done server', 'weather']);
    assert.isTrue(seen.has('running'), `states seen while it streamed: ${[...seen]}`);
    assert.deepEqual(JSON.parse(card.querySelectorAll('pre')[1].textContent), {city: 'Paris', weather: '晴 ☀️', temperatureC: 21});
    assert.lengthOf(card.querySelectorAll('button'), 0);
    assert.include(answerText(element), '巴黎晴天');
  });

  it('shows a call the backend runs with no buttons, whatever its state', async () => {
    const element = await chat('tool-round');
    const answer = {id: 'a1', role: 'assistant', content: 'Searching', status: 'streaming', createdAt: 0};
    answer.toolCalls = ['approval', 'running'].map((state) => ({id: state, name: 'web_search', arguments: '{"q":"x"}', input: {q: 'x'}, state, server: true}));
    const session = new (class extends ChatSession {
      get messages() {
        return [{id: 'q1', role: 'user', content: 'Search', status: 'done', createdAt: 0}, answer];
      }
    })();

    element.session = session;
    await element.updateComplete;

    assert.deepEqual(cards(element).map((card) => [card.dataset.state, card.getAttribute('part')]), [['approval', 'tool-call approval server'], ['running', 'tool-call running server']]);
    assert.lengthOf(shadowAll(element, '[part~="tool-call"] button'), 0);
  });
});
