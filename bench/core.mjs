// `npm run bench:core`: the core's parse throughput and linearity in Node, against raw
// eventsource-parser + JSON.parse and against the original article's loop, on the same bytes;
// then every wire format against a hand-rolled reader of it. Prints figures; it asserts nothing.
import {createParser} from 'eventsource-parser';
import {streamChat} from 'chat-stream/core';

const RUNS = 7;
const NETWORK_PIECE = 4096;
const DELTAS = ['Hello', ' world', ', 流式', '传输', ' 👋🏽', ' **bold**', ' `code`', '\n- item', ' and', ' more'];

function eventStream(chunks) {
  const events = [];
  for (let i = 0; i < chunks; i++) {
    const content = DELTAS[i % DELTAS.length];
    events.push(`data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1719297188,"model":"bench","choices":[{"index":0,"delta":{"content":${JSON.stringify(content)}},"finish_reason":null}]}\n\n`);
  }
  events.push('data: [DONE]\n\n');
  const bytes = new TextEncoder().encode(events.join(''));
  const pieces = [];
  for (let i = 0; i < bytes.length; i += NETWORK_PIECE) pieces.push(bytes.subarray(i, i + NETWORK_PIECE));
  return {pieces, size: bytes.length};
}

function bodyOf(pieces) {
  let next = 0;
  return new ReadableStream({pull: (c) => (next < pieces.length ? c.enqueue(pieces[next++]) : c.close())});
}

const contenders = {
  async core(pieces) {
    const response = () => new Response(bodyOf(pieces), {headers: {'content-type': 'text/event-stream'}});
    const result = await streamChat({url: 'http://bench.invalid/', token: 't', body: {}, fetch: async () => response()});
    return result.text.length;
  },
  async raw(pieces) {
    let text = '';
    const parser = createParser({
      onEvent({data}) {
        if (data !== '[DONE]') text += JSON.parse(data).choices[0].delta.content ?? '';
      },
    });
    const reader = bodyOf(pieces).getReader();
    const decoder = new TextDecoder();
    for (;;) {
      const {done, value} = await reader.read();
      if (done) break;
      parser.feed(decoder.decode(value, {stream: true}));
    }
    return text.length;
  },
  // The article's loop: a regex over the whole answer after every chunk.
  async original(pieces) {
    let text = '';
    const parser = createParser({
      onEvent({data}) {
        if (data === '[DONE]') return;
        text += JSON.parse(data).choices[0].delta?.content || '';
        text.match(/```json\n(.*?)"code":10013(.*?)```/g);
      },
    });
    const reader = bodyOf(pieces).getReader();
    const decoder = new TextDecoder();
    for (;;) {
      const {done, value} = await reader.read();
      if (done) break;
      parser.feed(decoder.decode(value));
    }
    return text.length;
  },
};

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function measure(chunks, names) {
  const {pieces, size} = eventStream(chunks);
  const times = Object.fromEntries(names.map((name) => [name, []]));
  for (let run = 0; run < RUNS; run++) {
    for (const name of names) {
      const start = performance.now();
      await contenders[name](pieces);
      times[name].push(performance.now() - start);
    }
  }
  return {size, ms: Object.fromEntries(names.map((name) => [name, median(times[name])]))};
}

const fmt = (value, digits = 1) => value.toFixed(digits);
console.log(`chat-stream core benchmark (Node ${process.version}, median of ${RUNS} interleaved runs)\n`);
await measure(2000, Object.keys(contenders)); // warm-up

console.log('| chunks | MB | core ms | raw ms | core MB/s | raw MB/s | core / raw | original ms | original / core |');
console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
const perChunk = {};
for (const chunks of [2000, 20000, 200000]) {
  const names = chunks <= 20000 ? ['core', 'raw', 'original'] : ['core', 'raw'];
  const {size, ms} = await measure(chunks, names);
  const mb = size / 1e6;
  perChunk[chunks] = ms.core / chunks;
  const original = ms.original === undefined ? ['n/a (quadratic)', '—'] : [fmt(ms.original), `${fmt(ms.original / ms.core)}×`];
  console.log(`| ${chunks} | ${fmt(mb, 2)} | ${fmt(ms.core)} | ${fmt(ms.raw)} | ${fmt(mb / (ms.core / 1000))} | ${fmt(mb / (ms.raw / 1000))} | ${fmt(ms.core / ms.raw, 2)}× | ${original.join(' | ')} |`);
}
console.log(`\nLinearity: core per-chunk cost at 200,000 chunks is ${fmt(perChunk[200000] / perChunk[2000], 2)}× and at 20,000 is ${fmt(perChunk[20000] / perChunk[2000], 2)}× that at 2,000 (1.0 = linear).`);

// Every format on the same text: the core against the careful hand-rolled reader of that format
// (eventsource-parser, or a line splitter for NDJSON, + JSON.parse + the one field, no checks).
const SSE = 'text/event-stream';
const FORMATS = {
  openai: {type: SSE, event: (content) => `data: ${JSON.stringify({choices: [{index: 0, delta: {content}, finish_reason: null}]})}\n\n`, end: 'data: [DONE]\n\n', text: (data) => (data === '[DONE]' ? '' : JSON.parse(data).choices[0].delta.content)},
  'openai-responses': {
    type: SSE,
    event: (delta) => `event: response.output_text.delta\ndata: ${JSON.stringify({type: 'response.output_text.delta', item_id: 'msg_1', output_index: 0, content_index: 0, delta})}\n\n`,
    end: `event: response.completed\ndata: ${JSON.stringify({type: 'response.completed', response: {id: 'resp_1', status: 'completed'}})}\n\n`,
    text: (data) => JSON.parse(data).delta ?? '',
  },
  anthropic: {
    type: SSE,
    event: (text) => `event: content_block_delta\ndata: ${JSON.stringify({type: 'content_block_delta', index: 0, delta: {type: 'text_delta', text}})}\n\n`,
    start: 'event: message_start\ndata: {"type":"message_start","message":{"id":"msg_1"}}\n\n',
    end: 'event: message_stop\ndata: {"type":"message_stop"}\n\n',
    text: (data) => JSON.parse(data).delta?.text ?? '',
  },
  'ai-sdk': {
    type: SSE,
    event: (delta) => `data: ${JSON.stringify({type: 'text-delta', id: 't1', delta})}\n\n`,
    start: 'data: {"type":"start"}\n\n',
    end: 'data: {"type":"finish","finishReason":"stop"}\n\ndata: [DONE]\n\n',
    text: (data) => (data === '[DONE]' ? '' : (JSON.parse(data).delta ?? '')),
  },
  ndjson: {type: 'application/x-ndjson', event: (content) => `${JSON.stringify({model: 'm', message: {role: 'assistant', content}, done: false})}\n`, end: '{"model":"m","message":{"role":"assistant","content":""},"done":true}\n', text: (line) => JSON.parse(line).message.content},
};

function formatBody(format, chunks) {
  const parts = [format.start ?? ''];
  for (let i = 0; i < chunks; i++) parts.push(format.event(DELTAS[i % DELTAS.length]));
  const bytes = new TextEncoder().encode(parts.join('') + format.end);
  const pieces = [];
  for (let i = 0; i < bytes.length; i += NETWORK_PIECE) pieces.push(bytes.subarray(i, i + NETWORK_PIECE));
  return pieces;
}

async function handRolled(format, pieces) {
  let text = '';
  const decoder = new TextDecoder();
  const reader = bodyOf(pieces).getReader();
  let pending = '';
  const parser = createParser({onEvent: ({data}) => (text += format.text(data))});
  for (;;) {
    const {done, value} = await reader.read();
    if (done) break;
    const chunk = decoder.decode(value, {stream: true});
    if (format.type === SSE) {
      parser.feed(chunk);
      continue;
    }
    const lines = (pending + chunk).split('\n');
    pending = lines.pop();
    for (const line of lines) if (line) text += format.text(line);
  }
  return text.length;
}

async function viaCore(name, format, pieces) {
  const response = () => new Response(bodyOf(pieces), {headers: {'content-type': format.type}});
  const result = await streamChat({url: 'http://bench.invalid/', token: 't', body: {}, format: name, fetch: async () => response()});
  if (result.status !== 'done') throw new Error(`${name}: ${result.error?.message}`);
  return result.text.length;
}

console.log('\nEvery format, 20,000 and 200,000 events (median of 7 interleaved runs):\n');
console.log('| format | core ms (20k) | hand-rolled ms (20k) | core / hand-rolled | core ms (200k) | hand-rolled ms (200k) | core / hand-rolled | per-event cost 200k / 20k |');
console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
for (const [name, format] of Object.entries(FORMATS)) {
  const row = [];
  const perEvent = [];
  for (const chunks of [20000, 200000]) {
    const pieces = formatBody(format, chunks);
    const times = {core: [], hand: []};
    await viaCore(name, format, pieces); // warm-up
    for (let run = 0; run < RUNS; run++) {
      let start = performance.now();
      await viaCore(name, format, pieces);
      times.core.push(performance.now() - start);
      start = performance.now();
      await handRolled(format, pieces);
      times.hand.push(performance.now() - start);
    }
    const [core, hand] = [median(times.core), median(times.hand)];
    perEvent.push(core / chunks);
    row.push(fmt(core), fmt(hand), `${fmt(core / hand, 2)}×`);
  }
  console.log(`| ${name} | ${row.join(' | ')} | ${fmt(perEvent[1] / perEvent[0], 2)}× |`);
}
