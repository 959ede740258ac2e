// The bench's local HTTP server: the repository's files (the page, dist/, node_modules/, the
// fixtures), another build of the element at /baseline.bundle.js (`BENCH_BASELINE`), and at
// /stream?n=N&rate=R a synthetic OpenAI answer of N chunks, R a second or as fast as the socket takes them.
import {readFile} from 'node:fs/promises';
import {createServer} from 'node:http';
import {extname, join, normalize} from 'node:path';

/** The deltas, in turn: mixed English, Chinese, emoji and Markdown, with blank lines split across two deltas ('.\n', '\n- item '). */
const PIECES = ['Streaming ', 'answers ', '流式', '输出 ', '👋🏽 ', '**bold** ', '`code` ', 'and *more*', '.\n', '\n- item ', 'one\n', '## Heading\n', '| a | b |\n', 'plain ', 'text '];
const TYPES = {'.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript'};

function chunkEvent(content) {
  return `data: {"id":"chatcmpl-b","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":${JSON.stringify(content)}},"finish_reason":null}]}\n\n`;
}

async function serveStream(res, chunks, rate) {
  res.writeHead(200, {'content-type': 'text/event-stream', 'cache-control': 'no-cache'});
  let closed = false;
  res.on('close', () => (closed = true));
  const events = Array.from({length: chunks}, (_, i) => chunkEvent(PIECES[i % PIECES.length]));
  if (rate > 0) {
    const started = Date.now();
    for (let i = 0; i < chunks && !closed; i++) {
      const due = started + (i * 1000) / rate;
      if (due > Date.now()) await new Promise((resolve) => setTimeout(resolve, due - Date.now()));
      res.write(events[i]);
    }
  } else {
    // Network-sized writes of about 4 KB.
    for (let i = 0; i < chunks && !closed; i += 25) {
      res.write(events.slice(i, i + 25).join(''));
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  res.end(`data: {"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}\n\ndata: [DONE]\n\n`);
}

/** Starts the server on a free port of 127.0.0.1 and resolves with its origin and how to stop it. */
export async function startBenchServer({root, baseline}) {
  const server = createServer(async (req, res) => {
    const url = new URL(req.url, 'http://localhost');
    if (url.pathname === '/stream') return serveStream(res, Number(url.searchParams.get('n')), Number(url.searchParams.get('rate') ?? 0));
    if (url.pathname === '/baseline.bundle.js' && baseline) return res.writeHead(200, {'content-type': TYPES['.js']}).end(await readFile(baseline));
    const file = normalize(join(root, decodeURIComponent(url.pathname)));
    if (!file.startsWith(root)) return res.writeHead(403).end();
    const body = await readFile(file).catch(() => null);
    if (!body) return res.writeHead(404).end();
    res.writeHead(200, {'content-type': TYPES[extname(file)] ?? 'application/octet-stream'}).end(body);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${server.address().port}`,
    close: () => (server.closeAllConnections(), server.close()),
  };
}
