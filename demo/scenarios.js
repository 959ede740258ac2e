// What the embedded model can be asked to do: one scenario for every path <chat-stream> handles.
// A request picks one with a `scenario` field in its body (the demo's picker sets it through
// the element's `extraBody`); without one it is `normal`.
import {EVENT_STREAM_HEADERS, pause, sendError, sendJson} from './http.js';
import {answerFor, isChinese, lastQuestion, reasoningFor, tokenize} from './model.js';

const TOKEN_INTERVAL_MS = 30;

/** Streams OpenAI `chat.completion.chunk` events to one response, and notices when the client leaves. */
class ModelStream {
  constructor(res, question) {
    this.res = res;
    this.question = question;
    this.id = `chatcmpl-demo-${Date.now().toString(36)}`;
    this.open = true;
    res.on('close', () => (this.open = false));
  }

  start() {
    this.res.writeHead(200, EVENT_STREAM_HEADERS);
    this.chunk({role: 'assistant', content: ''});
  }

  event(delta, finishReason = null) {
    return `data: ${JSON.stringify({id: this.id, object: 'chat.completion.chunk', created: 1700000000, model: 'chat-stream-demo', choices: [{index: 0, delta, finish_reason: finishReason}]})}\n\n`;
  }

  chunk(delta, finishReason = null) {
    if (this.open) this.res.write(this.event(delta, finishReason));
  }

  /** Streams a text token by token; `perWrite` tokens go out in each network write. Returns whether the client stayed. */
  async tokens(text, {field = 'content', interval = TOKEN_INTERVAL_MS, perWrite = 1} = {}) {
    const tokens = tokenize(text);
    for (let i = 0; i < tokens.length && this.open; i += perWrite) {
      await pause(interval);
      if (this.open) this.res.write(tokens.slice(i, i + perWrite).map((token) => this.event({[field]: token})).join(''));
    }
    return this.open;
  }

  finish() {
    this.chunk({}, 'stop');
    if (this.open) this.res.end('data: [DONE]\n\n');
  }
}

const MODERATION_BLOCK = '```json\n{"code":10013,"msg":"内容不合规 (demo moderation)","filteredText":"This answer was withheld by moderation (demo). 该回答已被审核替换。","DONE":"DONE"}\n```';

/** The scenarios, by name: a label and a description for the picker, and what the server does. */
export const SCENARIOS = {
  normal: {
    label: 'Normal',
    description: 'A Markdown answer, token by token at a realistic pace.',
    async run(stream) {
      stream.start();
      if (await stream.tokens(answerFor(stream.question))) stream.finish();
    },
  },
  'slow-first-byte': {
    label: 'Slow first byte',
    description: 'Three seconds before anything arrives: the waiting state.',
    async run(stream) {
      await pause(3000);
      if (stream.open) await SCENARIOS.normal.run(stream);
    },
  },
  fast: {
    label: 'Very fast',
    description: 'About 4,000 tokens per second, 20 per network write.',
    async run(stream) {
      stream.start();
      if (await stream.tokens(answerFor(stream.question, {sections: 8}), {interval: 5, perWrite: 20})) stream.finish();
    },
  },
  long: {
    label: 'Long answer',
    description: 'Twelve sections: scroll up while it streams and the view stays put.',
    async run(stream) {
      stream.start();
      if (await stream.tokens(answerFor(stream.question, {sections: 12}), {interval: 8})) stream.finish();
    },
  },
  'chinese-split': {
    label: 'Chinese, split characters',
    description: 'A Chinese answer whose network writes cut through multi-byte characters.',
    async run(stream) {
      stream.res.writeHead(200, EVENT_STREAM_HEADERS);
      const text = answerFor(isChinese(stream.question) ? stream.question : `用中文回答：${stream.question}`);
      const events = tokenize(text).map((token) => stream.event({content: token}));
      const bytes = Buffer.from(`${events.join('')}${stream.event({}, 'stop')}data: [DONE]\n\n`);
      // 7-byte writes: most 3-byte characters and 4-byte emoji are cut in two.
      for (let i = 0; i < bytes.length && stream.open; i += 7) {
        stream.res.write(bytes.subarray(i, i + 7));
        if (i % 70 === 0) await pause(TOKEN_INTERVAL_MS);
      }
      if (stream.open) stream.res.end();
    },
  },
  reasoning: {
    label: 'Reasoning',
    description: '`reasoning_content` deltas first, then the answer.',
    async run(stream) {
      stream.start();
      if (!(await stream.tokens(reasoningFor(stream.question), {field: 'reasoning_content'}))) return;
      if (await stream.tokens(answerFor(stream.question))) stream.finish();
    },
  },
  'business-error': {
    label: 'Business error',
    description: 'HTTP 200 with the backend\'s own {code, msg} JSON.',
    run: (stream) => sendJson(stream.res, 200, {code: 10001, msg: '账户余额不足 (demo business error: insufficient balance)'}),
  },
  'http-500': {
    label: 'HTTP 500',
    description: 'The server fails before streaming.',
    run: (stream) => sendError(stream.res, 500, 'The demo model crashed (simulated HTTP 500)', 'server_error'),
  },
  'http-429': {
    label: 'HTTP 429',
    description: 'Rate limited, with Retry-After.',
    run: (stream) => {
      stream.res.setHeader('retry-after', '20');
      sendError(stream.res, 429, 'Rate limit reached (simulated): try again in 20 seconds', 'rate_limit_error', 'rate_limit_exceeded');
    },
  },
  'http-401': {
    label: 'HTTP 401',
    description: 'The token is refused: the sign-in prompt, not an error.',
    run: (stream) => sendError(stream.res, 401, 'Token expired (simulated 401)', 'invalid_request_error', 'invalid_api_key'),
  },
  moderation: {
    label: 'Moderation block',
    description: 'A code 10013 block replaces the answer with its filteredText.',
    async run(stream) {
      stream.start();
      if (!(await stream.tokens('Let me answer that. First, some context about the topic you asked for, then '))) return;
      for (let i = 0; i < MODERATION_BLOCK.length && stream.open; i += 6) {
        await pause(TOKEN_INTERVAL_MS / 2);
        stream.chunk({content: MODERATION_BLOCK.slice(i, i + 6)});
      }
      stream.finish();
    },
  },
  dropped: {
    label: 'Connection dropped',
    description: 'The connection breaks mid-answer: the partial text stays.',
    async run(stream) {
      stream.start();
      const text = answerFor(stream.question);
      if (await stream.tokens(text.slice(0, Math.floor(text.length / 2)))) stream.res.socket?.destroy();
    },
  },
  'no-done': {
    label: 'No [DONE]',
    description: 'The stream ends without [DONE] or a finish reason: truncated.',
    async run(stream) {
      stream.start();
      if (await stream.tokens(answerFor(stream.question).slice(0, 200))) stream.res.end();
    },
  },
};

/** The picker's list: name, label and description of each scenario. */
export function scenarioList() {
  return Object.entries(SCENARIOS).map(([name, {label, description}]) => ({name, label, description}));
}

/** Answers a chat-completion request with the scenario its body names. */
export async function runScenario(res, body) {
  const name = body.scenario ?? 'normal';
  const scenario = Object.hasOwn(SCENARIOS, name) ? SCENARIOS[name] : null;
  if (!scenario) return sendError(res, 400, `Unknown scenario ${JSON.stringify(name)}; known: ${Object.keys(SCENARIOS).join(', ')}`);
  const question = lastQuestion(body.messages);
  if (question === '') return sendError(res, 400, 'The last user message is empty');
  await scenario.run(new ModelStream(res, question));
}
