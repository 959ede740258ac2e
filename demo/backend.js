// The demo's embedded model: an OpenAI-compatible streaming endpoint that needs no account,
// key or network. Answers are deterministic for a prompt and streamed token by token.

/** The token the demo page shows and the endpoint expects. */
export const DEMO_TOKEN = 'demo-token';
const MAX_BODY_BYTES = 1024 * 1024;
const TOKEN_INTERVAL_MS = 30;

/** Handles `POST /v1/chat/completions`. */
export async function handleChatCompletion(req, res) {
  if (req.headers.authorization !== `Bearer ${DEMO_TOKEN}`) {
    return sendJson(res, 401, {error: {message: `Missing or wrong token: send "Authorization: Bearer ${DEMO_TOKEN}"`, type: 'invalid_request_error', code: 'invalid_api_key'}});
  }
  const request = await readJson(req);
  if (request.error) return sendJson(res, request.status, {error: {message: request.error, type: 'invalid_request_error'}});
  const question = lastUserMessage(request.value);
  if (question === null) {
    return sendJson(res, 400, {error: {message: '`messages` must be an array that ends with a user message', type: 'invalid_request_error'}});
  }

  let open = true;
  res.on('close', () => (open = false));
  res.writeHead(200, {'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'x-accel-buffering': 'no'});
  const id = `chatcmpl-demo-${hash(question).toString(16)}`;
  const send = (delta, finishReason = null) =>
    res.write(`data: ${JSON.stringify({id, object: 'chat.completion.chunk', model: 'chat-stream-demo', choices: [{index: 0, delta, finish_reason: finishReason}]})}\n\n`);
  send({role: 'assistant', content: ''});
  for (const token of tokenize(answerFor(question))) {
    await new Promise((resolve) => setTimeout(resolve, TOKEN_INTERVAL_MS));
    if (!open) return;
    send({content: token});
  }
  send({}, 'stop');
  res.end('data: [DONE]\n\n');
}

/** The deterministic Markdown answer to a question, in its language. */
export function answerFor(question) {
  const quoted = question.length > 80 ? `${question.slice(0, 80)}…` : question;
  if (/[\u3400-\u9fff]/.test(question)) {
    return `## 回答\n\n你问的是：**${quoted}**\n\n这是 chat-stream 演示服务器的流式回答：\n\n- 文字逐个到达，中文字符在网络分片中被切开也不会乱码\n- 回答是确定的：同样的问题，同样的回答\n\n\`\`\`js\nconst result = await streamChat({url, token, body});\n\`\`\`\n\n| 状态 | 含义 |\n| --- | --- |\n| done | 完成 |\n| error | 出错 |\n`;
  }
  return `## Answer\n\nYou asked: **${quoted}**\n\nThis answer streams from the chat-stream demo server:\n\n- it arrives token by token, at a realistic pace\n- it is deterministic: the same question gets the same answer\n\n\`\`\`js\nconst result = await streamChat({url, token, body});\n\`\`\`\n\n| status | meaning |\n| --- | --- |\n| done | complete |\n| error | failed |\n`;
}

/** Splits an answer into model-like tokens: words with their spaces, one or two CJK characters. */
export function tokenize(text) {
  return text.match(/[\u3400-\u9fff]{1,2}|\s*[^\s\u3400-\u9fff]+|\s+/gu) ?? [];
}

function lastUserMessage(body) {
  const messages = body?.messages;
  if (!Array.isArray(messages) || messages.length === 0) return null;
  const last = messages.at(-1);
  return last?.role === 'user' && typeof last.content === 'string' && last.content.trim() !== '' ? last.content.trim() : null;
}

async function readJson(req) {
  let size = 0;
  const parts = [];
  for await (const part of req) {
    size += part.length;
    if (size > MAX_BODY_BYTES) return {status: 413, error: `The request body is larger than ${MAX_BODY_BYTES} bytes`};
    parts.push(part);
  }
  try {
    return {value: JSON.parse(Buffer.concat(parts).toString('utf8'))};
  } catch (error) {
    return {status: 400, error: `The request body is not JSON: ${error.message}`};
  }
}

function sendJson(res, status, value) {
  res.writeHead(status, {'content-type': 'application/json'}).end(JSON.stringify(value));
}

function hash(text) {
  let value = 5381;
  for (let i = 0; i < text.length; i++) value = (value * 33) ^ text.charCodeAt(i);
  return value >>> 0;
}
