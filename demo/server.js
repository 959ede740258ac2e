// `npm start`: serves the demo page, the built package and the embedded model endpoint.
import {createReadStream} from 'node:fs';
import {stat} from 'node:fs/promises';
import {createServer} from 'node:http';
import {extname, join, normalize, resolve} from 'node:path';
import {fileURLToPath} from 'node:url';
import {handleChatCompletion} from './backend.js';

const root = resolve(fileURLToPath(import.meta.url), '../..');
const PORT = Number(process.env.PORT ?? 8080);
const HOST = process.env.HOST ?? 'localhost';
const TYPES = {'.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css', '.map': 'application/json', '.png': 'image/png'};
// Only these folders are served: the page and the build.
const PUBLIC = ['demo', 'dist'];

const server = createServer(async (req, res) => {
  const {pathname} = new URL(req.url, 'http://localhost');
  try {
    if (pathname === '/v1/chat/completions' && req.method === 'POST') return await handleChatCompletion(req, res);
    if (req.method !== 'GET' && req.method !== 'HEAD') return res.writeHead(405).end();
    await serveFile(pathname === '/' ? '/demo/index.html' : pathname, res);
  } catch (error) {
    console.error(error);
    if (!res.headersSent) res.writeHead(500, {'content-type': 'text/plain'});
    res.end('Internal error');
  }
});

async function serveFile(pathname, res) {
  const file = normalize(join(root, decodeURIComponent(pathname)));
  const allowed = PUBLIC.some((folder) => file.startsWith(join(root, folder) + '/'));
  const info = allowed ? await stat(file).catch(() => null) : null;
  if (!info?.isFile()) return res.writeHead(404, {'content-type': 'text/plain'}).end('Not found');
  res.writeHead(200, {'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-cache'});
  createReadStream(file).pipe(res);
}

server.listen(PORT, HOST, () => console.log(`chat-stream demo: http://${HOST}:${PORT}/`));
