// The SSE layer alone (`readEventStream`), run in Node and in Chromium. Streams are built
// in memory so that every split point can be tried exactly, then once over HTTP.

/** A body that delivers `pieces` (strings are UTF-8 encoded) one read at a time. */
export function bodyOf(pieces, onCancel = () => {}) {
  const encoder = new TextEncoder();
  const queue = pieces.map((piece) => (typeof piece === 'string' ? encoder.encode(piece) : piece));
  return new ReadableStream({
    pull(controller) {
      if (queue.length === 0) controller.close();
      else controller.enqueue(queue.shift());
    },
    cancel: onCancel,
  });
}

/** Every way to cut `bytes` in two, plus one byte at a time. */
function* everySplit(text) {
  const bytes = new TextEncoder().encode(text);
  for (let i = 1; i < bytes.length; i++) yield [bytes.slice(0, i), bytes.slice(i)];
  yield Array.from(bytes, (byte) => Uint8Array.of(byte));
}

/**
 * @param {object} harness
 * @param {Function} harness.describe
 * @param {Function} harness.it
 * @param {{strictEqual: Function, deepEqual: Function, match: Function, ok: Function}} harness.assert
 * @param {typeof import('../../src/core/index.js')} harness.core
 * @param {() => string} harness.origin the test server's origin
 */
export function defineEventStreamSuite({describe, it, assert, core, origin}) {
  const {readEventStream} = core;
  const collect = async (body, options) => {
    const events = [];
    for await (const event of readEventStream(body, options)) events.push(event);
    return events;
  };
  const read = (text) => collect(bodyOf([text]));

  describe('readEventStream: fields (WHATWG SSE)', () => {
    it('yields data, and event and id when the stream sets them', async () => {
      const events = await read('event: add\nid: 1\ndata: a\n\ndata: b\n\n');

      assert.deepEqual(events, [
        {event: 'add', data: 'a', id: '1'},
        {data: 'b', id: '1'},
      ]);
    });

    it('joins data lines with LF', async () => {
      assert.deepEqual(await read('data: one\ndata:two\ndata\n\n'), [{data: 'one\ntwo\n'}]);
    });

    it('drops one space after the colon, no more', async () => {
      assert.deepEqual(await read('data:  two spaces\n\ndata:none\n\n'), [{data: ' two spaces'}, {data: 'none'}]);
    });

    it('ignores comments, keep-alives, retry and unknown fields', async () => {
      const events = await read(': keep-alive\n\n:\nretry: 1000\nfoo: bar\nDATA: no\ndata: yes\n\n');

      assert.deepEqual(events, [{data: 'yes'}]);
    });

    it('dispatches nothing for an event without data', async () => {
      assert.deepEqual(await read('event: ping\n\ndata: x\n\n'), [{data: 'x'}]);
    });

    it('dispatches an empty data field', async () => {
      assert.deepEqual(await read('data\n\ndata:\n\n'), [{data: ''}, {data: ''}]);
    });

    it('ignores an id that contains NULL', async () => {
      assert.deepEqual(await read('id: 1\ndata: a\n\nid: 2\0\ndata: b\n\n'), [
        {data: 'a', id: '1'},
        {data: 'b', id: '1'},
      ]);
    });

    it('keeps an id set in a block without data for the next events', async () => {
      assert.deepEqual(await read('id: 5\n\ndata: x\n\ndata: y\n\n'), [
        {data: 'x', id: '5'},
        {data: 'y', id: '5'},
      ]);
    });

    it('sets, resets and keeps the last event ID as the spec says, however the bytes are split', async () => {
      const stream = 'id: 1\n\ndata: a\n\nid\ndata: b\n\nid: 2\0\ndata: c\n\ndata: d\nid: 3\n\ndata: e\r\rid:4\r\n\r\ndata: f\n\n';
      const expected = [
        {data: 'a', id: '1'},
        {data: 'b', id: ''},
        {data: 'c', id: ''},
        {data: 'd', id: '3'},
        {data: 'e', id: '3'},
        {data: 'f', id: '4'},
      ];

      for (const pieces of everySplit(stream)) {
        assert.deepEqual(await collect(bodyOf(pieces)), expected);
      }
    });

    it('takes "ï»¿" at the start as text, not as a BOM', async () => {
      assert.deepEqual(await read('ï»¿data: 1\n\ndata: 2\n\n'), [{data: '2'}]);
    });

    it('discards an event the body ends in the middle of', async () => {
      assert.deepEqual(await read('data: whole\n\ndata: half\n'), [{data: 'whole'}]);
    });
  });

  describe('readEventStream: bytes and line endings', () => {
    it('drops exactly one leading BOM', async () => {
      assert.deepEqual(await read('\uFEFFdata: 1\n\n\uFEFFdata: 2\n\ndata: 3\n\n'), [{data: '1'}, {data: '3'}]);
    });

    it('treats a second leading BOM as part of the first field name', async () => {
      assert.deepEqual(await read('\uFEFF\uFEFFdata: 1\n\ndata: 2\n\ndata: 3\n\n'), [{data: '2'}, {data: '3'}]);
    });

    const mixed = '\uFEFFevent: 你好\r\ndata: 世界 👋🏽\r\n\r\ndata: a\rdata: b\r\n\ndata: é\n\r\n: c\r\ndata: end\r\r';
    const expected = [{event: '你好', data: '世界 👋🏽'}, {data: 'a\nb'}, {data: 'é'}, {data: 'end'}];

    it('reads CR, LF and CRLF, however the bytes are split', async () => {
      for (const pieces of everySplit(mixed)) {
        assert.deepEqual(await collect(bodyOf(pieces)), expected);
      }
    });

    it('reads a read of megabytes as it reads small ones: a CRLF and characters cut where it is handed on in 64 KB pieces', async () => {
      // The first event's CR is byte 65,535 and its LF byte 65,536; then 3-byte characters across the later piece boundaries.
      const first = 'a'.repeat(65536 - 'data: '.length - 1);
      const rest = Array.from({length: 40000}, (_, i) => `你好 ${i}`);
      const text = `data: ${first}\r\n\r\n${rest.map((data) => `data: ${data}\r\n\r\n`).join('')}`;
      const bytes = new TextEncoder().encode(text);
      assert.strictEqual(bytes[65535], 13);
      assert.ok([2, 3, 4, 5, 6].some((piece) => (bytes[piece * 65536] & 0xc0) === 0x80), 'a boundary falls inside a character');

      const events = await collect(bodyOf([bytes]));

      assert.deepEqual(events, [{data: first}, ...rest.map((data) => ({data}))]);
    });

    it('dispatches a CR-terminated event without waiting for the next chunk', async () => {
      const seen = [];
      let release;
      const gate = new Promise((resolve) => (release = resolve));
      let pulls = 0;
      const body = new ReadableStream({
        async pull(controller) {
          if (pulls++ === 0) return void controller.enqueue(new TextEncoder().encode('data: now\r\r'));
          await gate;
          controller.close();
        },
      });

      for await (const event of readEventStream(body)) {
        seen.push(event.data);
        release();
      }

      assert.deepEqual(seen, ['now']);
    });
  });

  describe('readEventStream: stopping', () => {
    it('cancels the body when the loop breaks', async () => {
      let cancelled = false;
      const body = bodyOf(['data: 1\n\n', 'data: 2\n\n', 'data: 3\n\n'], () => (cancelled = true));

      for await (const event of readEventStream(body)) if (event.data === '1') break;

      assert.ok(cancelled);
    });

    it("throws the signal's reason and cancels the body when aborted", async () => {
      let cancelled = false;
      const controller = new AbortController();
      const body = new ReadableStream({pull: () => new Promise(() => {}), cancel: () => (cancelled = true)});
      const reason = new Error('stop now');

      setTimeout(() => controller.abort(reason), 10);
      const thrown = await collect(body, {signal: controller.signal}).catch((error) => error);

      assert.strictEqual(thrown, reason);
      assert.ok(cancelled);
    });

    it('yields nothing more once aborted, even events that arrived in the same chunk', async () => {
      let cancelled = false;
      const controller = new AbortController();
      const body = bodyOf(['data: 1\n\ndata: 2\n\n', 'data: 3\n\n'], () => (cancelled = true));
      const reason = new Error('stop now');
      const seen = [];

      const thrown = await (async () => {
        for await (const event of readEventStream(body, {signal: controller.signal})) {
          seen.push(event.data);
          controller.abort(reason);
        }
      })().catch((error) => error);

      assert.deepEqual(seen, ['1']);
      assert.strictEqual(thrown, reason);
      assert.ok(cancelled);
    });
  });

  describe('readEventStream: over HTTP', () => {
    it('reads an event stream fetched one byte at a time', async () => {
      const response = await fetch(`${origin()}/sse/multiline-data?split=bytes`, {method: 'POST'});

      const events = await collect(response.body);

      assert.deepEqual(events, [
        {event: 'message', data: '{"choices":[{"index":0,\n"delta":{"content":"two lines"}}]}', id: '7'},
        {data: '[DONE]', id: '7'},
      ]);
    });
  });
}
