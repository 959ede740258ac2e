// What the embedded model can be asked to do: one scenario for every path <chat-stream> handles.
// A request picks one with a `scenario` field in its body (the demo's picker sets it through
// the element's `extraBody`); without one it is `normal`. They speak through ModelStream, so
// each works in every wire format, except where `formats` names the only ones it suits;
// `streamOnly` ones fail mid-stream, so need a streamed request. Their answers are the same for
// the same request body, so that a broken event stream can be resumed (see ModelStream), except
// where `resumable` is false.
import {pause, sendJson} from './http.js';
import {sendFormatError} from './formats/index.js';
import {readTurn} from './conversation.js';
import {answerFor, isChinese, mathAnswerFor, reasoningFor, replyTo, tokenize} from './model.js';
import {ModelStream, TOKEN_INTERVAL_MS} from './model-stream.js';

const MODERATION_BLOCK = '```json\n{"code":10013,"msg":"内容不合规 (demo moderation)","filteredText":"This answer was withheld by moderation (demo). 该回答已被审核替换。","DONE":"DONE"}\n```';

/** The scenarios, by name: a label and a description for the picker, and what the server does. */
export const SCENARIOS = {
  normal: {
    label: 'Normal',
    description: 'A Markdown answer, token by token at a realistic pace; ask for the time or a calculation and it calls a tool first; attach an image and it says what it received.',
    run: reply,
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
    run: (stream) => stream.answer(answerFor(stream.question, {sections: 8}), {interval: 5, perWrite: 20}),
  },
  long: {
    label: 'Long answer',
    description: 'Twelve sections: scroll up while it streams and the view stays put.',
    run: (stream) => stream.answer(answerFor(stream.question, {sections: 12}), {interval: 8}),
  },
  math: {
    label: 'Math',
    description: 'Formulas as `$…$`, `\\(…\\)`, a `$$` block and `\\[…\\]`, drawn by KaTeX when it is installed; a price such as $5 stays text.',
    run: (stream) => stream.answer(mathAnswerFor(stream.question)),
  },
  'chinese-split': {
    label: 'Chinese, split characters',
    description: 'A Chinese answer whose network writes cut through multi-byte characters.',
    // 7-byte writes: most 3-byte characters and 4-byte emoji are cut in two.
    run: (stream) => stream.cut(answerFor(isChinese(stream.question) ? stream.question : `用中文回答：${stream.question}`), 7),
  },
  reasoning: {
    label: 'Reasoning',
    description: 'The reasoning first, then the answer: `reasoning_content`, a Responses reasoning summary, an Anthropic thinking block, Ollama `message.thinking`, AI SDK `reasoning-*` parts.',
    async run(stream) {
      stream.start();
      if (!(await stream.tokens(reasoningFor(stream.question), {kind: 'reasoning'}))) return;
      if (await stream.tokens(answerFor(stream.question))) stream.finish();
    },
  },
  'think-tags': {
    label: 'Reasoning in <think> tags',
    description: 'The reasoning inside the answer\'s own text, between `<think>` and `</think>`, as Qwen3, QwQ and DeepSeek distills send it through Ollama, vLLM or LM Studio; the tags are cut across network writes. The element shows it as reasoning, never as answer text.',
    async run(stream) {
      stream.start();
      const pieces = ['<thi', 'nk>\n', ...tokenize(reasoningFor(stream.question)), '\n</th', 'ink>\n\n', ...tokenize(answerFor(stream.question))];
      if (await stream.pieces(pieces)) stream.finish();
    },
  },
  'business-error': {
    label: 'Business error',
    description: 'HTTP 200 with the backend\'s own {code, msg} JSON (OpenAI format only).',
    formats: ['openai'],
    run: (stream) => sendJson(stream.res, 200, {code: 10001, msg: '账户余额不足 (demo business error: insufficient balance)'}),
  },
  'http-500': {
    label: 'HTTP 500',
    description: 'The server fails before streaming.',
    run: (stream) => stream.refuse(500, 'The demo model crashed (simulated HTTP 500)', 'server_error'),
  },
  'http-429': {
    label: 'HTTP 429',
    description: 'Rate limited, with Retry-After.',
    run: (stream) => {
      stream.res.setHeader('retry-after', '2');
      stream.refuse(429, 'Rate limit reached (simulated): try again in 2 seconds', 'rate_limit_error', 'rate_limit_exceeded');
    },
  },
  'http-401': {
    label: 'HTTP 401',
    description: 'The token is refused: the sign-in prompt, not an error.',
    run: (stream) => stream.refuse(401, 'Token expired (simulated 401)', 'invalid_request_error', 'invalid_api_key'),
  },
  moderation: {
    label: 'Moderation block',
    description: 'A code 10013 block replaces the answer with its filteredText.',
    async run(stream) {
      stream.start();
      if (!(await stream.tokens('Let me answer that. First, some context about the topic you asked for, then '))) return;
      const pieces = MODERATION_BLOCK.match(/[^]{1,6}/g);
      if (await stream.pieces(pieces, {interval: TOKEN_INTERVAL_MS / 2})) stream.finish();
    },
  },
  dropped: {
    label: 'Connection dropped',
    description: 'The connection breaks mid-answer, and the server cannot resume (its events have no ids): the partial text stays.',
    resumable: false,
    async run(stream) {
      stream.start();
      const text = answerFor(stream.question);
      if (await stream.tokens(text.slice(0, Math.floor(text.length / 2)))) await stream.drop();
    },
  },
  flaky: {
    label: 'Flaky connection (resumed)',
    description: 'The connection breaks once, 40% into the answer; the element reconnects with `Last-Event-ID` and the server sends the rest: the text continues exactly.',
    // The formats whose events have ids; a stream is needed to break.
    formats: ['openai', 'openai-responses', 'anthropic', 'ai-sdk'],
    streamOnly: true,
    async run(stream) {
      stream.start();
      const tokens = tokenize(answerFor(stream.question));
      const broken = Math.floor(tokens.length * 0.4);
      if (!(await stream.pieces(tokens.slice(0, broken)))) return;
      // Once per answer: the request that resumes it goes on to the end.
      if (!stream.resuming) return stream.drop();
      if (await stream.pieces(tokens.slice(broken))) stream.finish();
    },
  },
  buffered: {
    label: 'Buffered by a proxy',
    description: 'Nothing for 1.5 seconds, then the whole answer in one burst, as a proxy that buffers event streams delivers them (the fix: `X-Accel-Buffering: no`, no compression for `text/event-stream`).',
    async run(stream) {
      await pause(1500);
      stream.burst(answerFor(stream.question));
    },
  },
  'no-done': {
    label: 'No end (truncated)',
    description: 'The stream ends without its end ([DONE], response.completed, message_stop, done: true, finish): truncated.',
    streamOnly: true,
    async run(stream) {
      stream.start();
      if (await stream.tokens(answerFor(stream.question).slice(0, 200))) stream.res.end();
    },
  },
  'stream-error': {
    label: 'Error mid-stream',
    description: 'Part of the answer, then the format\'s own error event (an `error` chunk, `response.failed`, Anthropic\'s `overloaded_error`, an Ollama `error` line, an AI SDK `error` part): the partial text stays.',
    streamOnly: true,
    async run(stream) {
      stream.start();
      if (await stream.tokens(answerFor(stream.question).slice(0, 120))) stream.fail('The demo model is overloaded (simulated error mid-stream)');
    },
  },
};

/**
 * The normal answer to the turn (see model.js replyTo): its text, or a call of the page's tool,
 * or, where the server runs the tools (the AI SDK route), the call, its output and the answer
 * that reads it. The server's time is the one answer that is not the same for the same body: a
 * request that resumes it tells the time of its own run.
 */
async function reply(stream) {
  const {format, turn} = stream;
  const said = replyTo(turn, {onServer: format.serverTools});
  if (!said.call) return stream.answer(said.text);
  if (!format.serverTools) return stream.callTool(said.call);
  stream.start();
  const toolResult = await stream.runTool(said.call);
  if (toolResult && (await stream.tokens(replyTo({...turn, toolResult}).text))) stream.finish();
}

/** The picker's list: name, label and description of each scenario, and the formats it is limited to. */
export function scenarioList() {
  return Object.entries(SCENARIOS).map(([name, {label, description, formats}]) => ({name, label, description, ...(formats ? {formats} : {})}));
}

/**
 * Answers a chat request in `format` with the scenario its body names.
 * @param request - The format's reading of the body, `{body, messages, stream}`, and the request's `Last-Event-ID` header, if any.
 */
export async function runScenario(res, format, {body, messages, stream, lastEventId}) {
  const name = body.scenario ?? 'normal';
  const scenario = Object.hasOwn(SCENARIOS, name) ? SCENARIOS[name] : null;
  const problem = !scenario
    ? `Unknown scenario ${JSON.stringify(name)}; known: ${Object.keys(SCENARIOS).join(', ')}`
    : scenario.formats && !scenario.formats.includes(format.name)
      ? `The ${name} scenario is for the ${scenario.formats.join(', ')} format only, not ${format.label}`
      : scenario.streamOnly && !stream
        ? `The ${name} scenario happens mid-stream: send \`stream: true\``
        : '';
  if (problem) return sendFormatError(res, format, 400, problem);
  const turn = readTurn({body, messages});
  if (turn.error) return sendFormatError(res, format, 400, turn.error);
  await scenario.run(new ModelStream(res, format, {body, turn, stream, lastEventId, resumable: scenario.resumable !== false}));
}
