// The demo server's routes: the page, the build, the config the page reads, and one chat
// endpoint per wire format (the embedded model, or a proxy to a real upstream).
import {createReadStream} from 'node:fs';
import {stat} from 'node:fs/promises';
import {extname, join, normalize, resolve} from 'node:path';
import {fileURLToPath} from 'node:url';
import {formatAt, formatList, sendFormatError} from './formats/index.js';
import {hasToken, readJsonBody, sendError, sendJson} from './http.js';
import {isProxied, proxyChat} from './proxy.js';
import {runScenario, scenarioList} from './scenarios.js';

const ROOT = resolve(fileURLToPath(import.meta.url), '../..');
// Only these folders are served: the page and the build.
const PUBLIC = ['demo', 'dist'];
const TYPES = {'.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.map': 'application/json', '.png': 'image/png', '.svg': 'image/svg+xml'};

/**
 * Creates the demo server's request handler.
 * @param {{token: string, upstream: null | {baseUrl: string, apiKey: string, model: string}}} config
 */
export function createDemoHandler({token, upstream}) {
  return async function handle(req, res) {
    const {pathname} = new URL(req.url, 'http://localhost');
    try {
      const format = formatAt(pathname);
      if (format) return await answerChat(req, res, format, {token, upstream});
      if (pathname === '/api/config') {
        const formats = formatList(upstream ? (format) => isProxied(format.path) : undefined);
        return sendJson(res, 200, {token, mode: upstream ? 'proxy' : 'embedded', model: upstream?.model || 'chat-stream-demo', scenarios: upstream ? [] : scenarioList(), formats});
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') return sendError(res, 405, 'Use GET');
      await serveFile(pathname === '/' ? '/demo/index.html' : pathname, res);
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
  if (request.error) return sendFormatError(res, format, 400, request.error);
  return upstream ? proxyChat(req, res, format, request.body, upstream) : runScenario(res, format, request);
}

async function serveFile(pathname, res) {
  let file;
  try {
    file = normalize(join(ROOT, decodeURIComponent(pathname)));
  } catch {
    return sendError(res, 400, 'Malformed path');
  }
  const allowed = PUBLIC.some((folder) => file.startsWith(join(ROOT, folder) + '/'));
  const info = allowed ? await stat(file).catch(() => null) : null;
  if (!info?.isFile()) return sendError(res, 404, `Not found: ${pathname}`);
  res.writeHead(200, {'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-cache'});
  createReadStream(file).pipe(res);
}
