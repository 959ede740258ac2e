// The demo page: a format and a scenario picker for both chats, their tools, a live log of their
// events, sign-in and sign-out, a new conversation, starters, and copy buttons on the snippets.
import {calculate} from './calculate.js';

const chats = [...document.querySelectorAll('chat-stream')];
const events = document.getElementById('events');
const config = await (await fetch('/api/config')).json();

document.getElementById('token').textContent = config.token;
if (config.mode === 'proxy') document.getElementById('mode').textContent = `a real model (${config.model}) through this server's proxy`;
for (const chat of chats) chat.token = config.token;

/** Shows a description whose `backticked` names are code. */
function describe(element, text) {
  element.replaceChildren(...text.split('`').map((part, index) => (index % 2 ? Object.assign(document.createElement('code'), {textContent: part}) : part)));
}

// The tools the embedded model calls when asked for the time or a calculation (the AI SDK route
// runs its own, on the server). Reading the reader's clock asks for approval first.
const TOOLS = {
  local_time: {
    description: "The reader's local time and time zone, from this page's clock.",
    parameters: {type: 'object', properties: {}},
    confirm: true,
    run: () => ({time: new Date().toLocaleTimeString(), timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone}),
  },
  calculate: {
    description: 'The value of an arithmetic expression: numbers, + - * / % ^ and parentheses.',
    parameters: {type: 'object', properties: {expression: {type: 'string', description: 'For example 2+3*4'}}, required: ['expression']},
    run: ({expression}) => calculate(expression),
  },
};
for (const chat of chats) chat.tools = TOOLS;

// Scenarios: a radio list; the choice travels in each request body through `extraBody`.
const picker = document.getElementById('scenarios');
if (config.scenarios.length === 0) {
  document.getElementById('scenario-hint').textContent = 'Proxy mode: answers come from the real upstream, so there are no scenarios.';
  document.getElementById('format-hint').textContent = 'Proxy mode: each route is forwarded to the same route of the upstream; pick the format it speaks.';
}
for (const {name, label, description} of config.scenarios) {
  const option = document.createElement('label');
  option.className = 'scenario';
  option.innerHTML = '<input type="radio" name="scenario"><span><strong></strong> <small></small></span>';
  Object.assign(option.querySelector('input'), {value: name, checked: name === 'normal'});
  option.querySelector('strong').textContent = label;
  describe(option.querySelector('small'), description);
  picker.append(option);
}
const applyScenario = () => {
  const scenario = picker.querySelector('input:checked')?.value;
  for (const chat of chats) chat.extraBody = scenario && scenario !== 'normal' ? {scenario} : {};
};
picker.addEventListener('change', applyScenario);
applyScenario();

// Formats: each one a route of this server and the element's `format` that reads (and, where the
// element builds it, writes) that wire format. Scenarios limited to other formats are disabled.
const formatPicker = document.getElementById('format');
for (const {name, label, endpoint} of config.formats) formatPicker.add(new Option(`${label} (${endpoint})`, name));
const applyFormat = () => {
  const format = config.formats.find(({name}) => name === formatPicker.value);
  if (!format) return;
  describe(document.getElementById('format-description'), format.description);
  for (const chat of chats) {
    chat.setAttribute('endpoint', format.endpoint);
    chat.setAttribute('format', format.name);
  }
  for (const {name, formats} of config.scenarios) {
    const input = picker.querySelector(`input[value="${name}"]`);
    input.disabled = Boolean(formats && !formats.includes(format.name));
    if (input.disabled && input.checked) picker.querySelector('input[value="normal"]').checked = true;
  }
  applyScenario();
};
formatPicker.addEventListener('change', applyFormat);
applyFormat();

// Math: KaTeX from this project's node_modules, where the server finds it installed; without it
// formulas show as TeX code. Its stylesheet reaches the formulas through each chat's shadow root,
// and the document's too, where its @font-face rules take effect.
const mathHint = document.getElementById('math-hint');
async function useKatex({module, stylesheet}) {
  const [{default: katex}, css] = await Promise.all([import(module), fetchText(stylesheet)]);
  // A constructed sheet resolves url(fonts/…) against the page, not the stylesheet: make them absolute.
  const base = new URL(stylesheet, location.href);
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(css.replace(/url\((['"]?)(?![a-z]+:)([^)'"]+)/gi, (_, quote, path) => `url(${quote}${new URL(path, base)}`));
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
  const math = (tex, {display}) => {
    const formula = document.createElement('span');
    katex.render(tex, formula, {displayMode: display, throwOnError: false, output: 'htmlAndMathml'});
    return formula;
  };
  for (const chat of chats) {
    chat.shadowRoot.adoptedStyleSheets = [...chat.shadowRoot.adoptedStyleSheets, sheet];
    chat.math = math;
  }
  mathHint.textContent = `Formulas (the Math scenario) are drawn by KaTeX ${katex.version}, served from this project's node_modules.`;
}
async function fetchText(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  return response.text();
}
if (!config.katex) mathHint.textContent = 'KaTeX is not installed (npm install --save-dev katex), so formulas show as TeX code.';
else useKatex(config.katex).catch((error) => (mathHint.textContent = `KaTeX could not be loaded (${error.message}), so formulas show as TeX code.`));

// The event log: newest first; each chat's run of `update`s is one line, counted.
const shorten = (key, value) => (typeof value === 'string' && value.length > 80 ? `${value.slice(0, 80)}… (${value.length} chars)` : value);
const updateRuns = new Map();
function log(chat, type, detail) {
  const run = updateRuns.get(chat);
  if (type === 'update' && run?.item.isConnected) {
    run.count++;
    run.item.querySelector('.detail').textContent = `×${run.count}, last: ${JSON.stringify(detail, shorten)}`;
    return;
  }
  const item = document.createElement('li');
  item.className = type;
  item.innerHTML = '<span class="who"></span> <span class="type"></span> <span class="detail"></span>';
  item.querySelector('.who').textContent = `#${chat.id}`;
  item.querySelector('.type').textContent = type;
  item.querySelector('.detail').textContent = JSON.stringify(detail, shorten);
  events.prepend(item);
  if (type === 'update') updateRuns.set(chat, {item, count: 1});
  else updateRuns.delete(chat);
}
for (const chat of chats) {
  for (const type of ['request', 'update', 'retry', 'done', 'error', 'stop', 'login-required', 'feedback', 'tool-call']) {
    chat.addEventListener(type, (event) => log(chat, type, event.detail));
  }
}
document.getElementById('clear-log').addEventListener('click', () => events.replaceChildren());

// Under each chat: how its last answer went over the network, and, when a proxy held the stream
// back and let it through in one burst (`buffered`), a warning with the fix, until dismissed.
const BUFFERED =
  'This answer arrived in one burst after a long wait: a proxy is buffering the stream. Turn buffering off for `text/event-stream`: send `X-Accel-Buffering: no` (nginx), and don\'t compress event streams.';
const ms = (value) => (value === null ? 'none' : `${Math.round(value)} ms`);
for (const chat of chats) {
  const timing = chat.parentElement.querySelector('.timing');
  const warning = chat.parentElement.querySelector('.buffered');
  const diagnose = ({detail}) => {
    if (detail.timing) {
      const {firstByteMs, totalMs, retries, resumed} = detail.timing;
      timing.textContent = `Last answer: first byte ${ms(firstByteMs)}, total ${ms(totalMs)}, retries ${retries}, resumed ${resumed}`;
    }
    if (!detail.buffered) return;
    describe(warning.querySelector('p'), BUFFERED);
    warning.hidden = false;
  };
  chat.addEventListener('done', diagnose);
  chat.addEventListener('error', diagnose);
  warning.querySelector('button').addEventListener('click', () => {
    warning.hidden = true;
    // The button just hid: focus goes back to the chat rather than to the page's start.
    chat.shadowRoot.querySelector('[part="input"]')?.focus();
  });
}

// Signing in and out. Sign out removes the token, so the next send fires login-required
// ('missing-token'); a 401 fires it too ('unauthorized': the token was sent and refused). The
// login slot says which, and its button signs in: each chat gets the demo token, and its session
// is told so even when the token is the one it already had (the element's property would not
// change, and the prompt would stay); the HTTP 401 scenario, which refuses every token, gives
// way to Normal; the question, back in the input, is focused to be sent again.
const signInStatus = document.getElementById('sign-in-status');
const REASONS = {
  'missing-token': 'Signed out: there is no token.',
  unauthorized: 'The server refused the token (HTTP 401).',
};
for (const chat of chats) {
  chat.addEventListener('login-required', ({detail}) => {
    chat.querySelector('[data-login-reason]').textContent = REASONS[detail.reason] ?? 'Please sign in.';
  });
}
document.getElementById('sign-out').addEventListener('click', () => {
  for (const chat of chats) chat.token = '';
  signInStatus.textContent = 'Signed out: the chats have no token, so the next message asks you to sign in.';
});
async function signIn(chat) {
  for (const each of chats) {
    each.token = config.token;
    if (each.session.status === 'login-required') await each.session.configure({token: config.token});
  }
  const refusing = picker.querySelector('input[value="http-401"]');
  const wasRefusing = Boolean(refusing?.checked);
  if (wasRefusing) {
    picker.querySelector('input[value="normal"]').checked = true;
    applyScenario();
  }
  signInStatus.textContent = `Signed in with the demo token${wasRefusing ? ' (the scenario is back to Normal: HTTP 401 refuses every token)' : ''}. Send your question again.`;
  await Promise.all(chats.map((each) => each.updateComplete));
  // The prompt just hid the focused button: focus goes to the input, where the question is.
  chat.shadowRoot.querySelector('[part="input"]')?.focus();
}
for (const button of document.querySelectorAll('[data-sign-in]')) {
  button.addEventListener('click', () => signIn(button.closest('chat-stream')));
}
// A new conversation: the persisted chat switches to a new key (the old conversation stays saved),
// the other one empties.
document.getElementById('new-conversation').addEventListener('click', () => {
  const id = `demo-${Date.now().toString(36)}`;
  try {
    localStorage.setItem('chat-stream-demo:current', id);
  } catch {
    // No storage: the new conversation lives in memory only.
  }
  document.getElementById('plain').conversationId = id;
  document.getElementById('themed').clear();
});

// The themed chat's starters, set as a property: a title on the button, a longer prompt sent.
document.getElementById('themed').starters = [
  {title: 'Track my order', prompt: 'Where is my order #1042, and when will it arrive?'},
  {title: '退货政策', prompt: '请介绍一下退货政策。'},
];

// Copy buttons on the snippets. Each snippet scrolls inside its box, and is focusable so that
// keys scroll it; the button sits in a wrapper, so it stays in the corner when the code scrolls.
for (const block of document.querySelectorAll('.snippets pre')) {
  const snippet = document.createElement('div');
  snippet.className = 'snippet';
  block.replaceWith(snippet);
  block.tabIndex = 0;
  const copy = document.createElement('button');
  copy.type = 'button';
  copy.textContent = 'Copy';
  copy.addEventListener('click', async () => {
    await navigator.clipboard.writeText(block.querySelector('code').textContent);
    copy.textContent = 'Copied';
    setTimeout(() => (copy.textContent = 'Copy'), 1200);
  });
  snippet.append(block, copy);
}
