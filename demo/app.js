// The demo server's routes: the page, the build, the config the page reads, and the chat
// endpoint (the embedded model, or a proxy to a real upstream).
import {createReadStream} from 'node:fs';
import {stat} from 'node:fs/promises';
import {extname, join, normalize, resolve} from 'node:path';
import {fileURLToPath} from 'node:url';
import {hasToken, readChatRequest, sendError, sendJson} from './http.js';
import {proxyChatCompletion} from './proxy.js';
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
      if (pathname === '/v1/chat/completions') {
        if (req.method !== 'POST') return sendError(res, 405, 'Use POST');
        if (!hasToken(req, token)) return sendError(res, 401, `Missing or wrong token: send "Authorization: Bearer ${token}"`, 'invalid_request_error', 'invalid_api_key');
        const request = await readChatRequest(req);
        if (request.error) return sendError(res, 400, request.error);
        return await (upstream ? proxyChatCompletion(req, res, request.body, upstream) : runScenario(res, request.body));
      }
      if (pathname === '/api/config') {
        return sendJson(res, 200, {token, mode: upstream ? 'proxy' : 'embedded', model: upstream?.model || 'chat-stream-demo', scenarios: upstream ? [] : scenarioList()});
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
