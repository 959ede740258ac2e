// The demo server's routes: the page, the build, KaTeX's browser files when the project has it
// installed, the config the page reads, and one chat endpoint per wire format (the embedded
// model, or a proxy to a real upstream).
import {createReadStream} from 'node:fs';
import {stat} from 'node:fs/promises';
import {extname, join, normalize, resolve, sep} from 'node:path';
import {fileURLToPath} from 'node:url';
import {formatAt, formatList, sendFormatError} from './formats/index.js';
import {hasToken, readJsonBody, sendError, sendJson} from './http.js';
import {isProxied, proxyChat} from './proxy.js';
import {runScenario, scenarioList} from './scenarios.js';

const ROOT = resolve(fileURLToPath(import.meta.url), '../..');
// Only these folders are served from the project: the page and the build.
const PUBLIC = ['demo', 'dist'].map((folder) => join(ROOT, folder));
/** KaTeX's browser build (its module, stylesheet and fonts), when it is installed as a devDependency. */
const KATEX_DIR = join(ROOT, 'node_modules', 'katex', 'dist');
/** Where the page finds KaTeX's files: under this path, only files inside the KaTeX folder. */
const KATEX_URL = '/vendor/katex/';
const JS = 'text/javascript; charset=utf-8';
const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': JS,
  '.mjs': JS,
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
};

/**
 * Creates the demo server's request handler.
 * @param {{token: string, upstream: null | {baseUrl: string, apiKey: string, model: string}, katexDir?: string}} config
 *   `katexDir`: KaTeX's `dist` folder (the project's own by default); where it has no `katex.mjs`, the page renders no math.
 */
export function createDemoHandler({token, upstream, katexDir = KATEX_DIR}) {
  const katexFolder = resolve(katexDir);
  return async function handle(req, res) {
    const {pathname} = new URL(req.url, 'http://localhost');
    try {
      const format = formatAt(pathname);
      if (format) return await answerChat(req, res, format, {token, upstream});
      if (pathname === '/api/config') {
        const formats = formatList(upstream ? (format) => isProxied(format.path) : undefined);
        const katex = (await isFile(join(katexFolder, 'katex.mjs'))) ? {module: `${KATEX_URL}katex.mjs`, stylesheet: `${KATEX_URL}katex.min.css`} : null;
        return sendJson(res, 200, {token, mode: upstream ? 'proxy' : 'embedded', model: upstream?.model || 'chat-stream-demo', scenarios: upstream ? [] : scenarioList(), formats, katex});
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') return sendError(res, 405, 'Use GET');
      if (pathname.startsWith(KATEX_URL)) await serveFile(res, pathname, katexFolder, pathname.slice(KATEX_URL.length), [katexFolder]);
      else await serveFile(res, pathname, ROOT, pathname === '/' ? 'demo/index.html' : pathname, PUBLIC);
    } catch (error) {
      console.error(error);
      if (!res.headersSent) sendError(res, 500, 'Internal error in the demo server', 'server_error');
      else res.destroy();
    }
  };
}

/** A chat request to `format`'s route: checked, then answered by the embedded model or the upstream. */
async function answerChat(req, res, format, {token, upstream}) {
  if (req.method !== 'POST') return sendError(res, 405, 'Use POST');
  if (upstream && !isProxied(format.path)) return sendFormatError(res, format, 404, `Proxy mode forwards the OpenAI, Responses, Anthropic and Ollama routes; ${format.path} is the embedded model's only`);
  if (!hasToken(req, token)) {
    return sendFormatError(res, format, 401, `Missing or wrong token: send "Authorization: Bearer ${token}" (or "x-api-key: ${token}")`, 'invalid_request_error', 'invalid_api_key');
  }
  const read = await readJsonBody(req);
  const request = read.error ? read : format.parse(read.body);
  if (request.error) return sendFormatError(res, format, request.status ?? 400, request.error);
  return upstream ? proxyChat(req, res, format, request.body, upstream) : runScenario(res, format, {...request, lastEventId: req.headers['last-event-id']});
}

const isFile = async (file) => (await stat(file).catch(() => null))?.isFile() ?? false;

/**
 * Serves the file at `path` (as the URL spells it) under `base`, when it lies inside one of
 * `folders`: nothing outside them, however the path climbs (`..`, `%2e%2e`, `..%2f`).
 */
async function serveFile(res, pathname, base, path, folders) {
  let file;
  try {
    file = normalize(join(base, decodeURIComponent(path)));
  } catch {
    return sendError(res, 400, 'Malformed path');
  }
  const allowed = folders.some((folder) => file.startsWith(folder + sep));
  if (!(allowed && (await isFile(file)))) return sendError(res, 404, `Not found: ${pathname}`);
  res.writeHead(200, {'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-cache'});
  createReadStream(file).pipe(res);
}
