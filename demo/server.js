// `npm start`: the demo page, the built element and a chat endpoint, on one port.
//   PORT (8080), HOST (localhost), DEMO_TOKEN (demo-token)
//   OPENAI_BASE_URL, OPENAI_API_KEY, MODEL: proxy to a real service instead of the embedded model:
//   /v1/chat/completions, /v1/responses, /v1/messages under the base, /api/chat beside its /v1
//   (the key stays on this server; the demo token guards the proxy).
import {createServer} from 'node:http';
import {createDemoHandler} from './app.js';

/** Starts the demo server; resolves with it once it listens. `katexDir` is for tests (see createDemoHandler). */
export function startDemoServer({port = 8080, host = 'localhost', token = 'demo-token', upstream = null, katexDir} = {}) {
  const server = createServer(createDemoHandler({token, upstream, katexDir}));
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}

/** Reads the proxy settings from the environment; `null` means the embedded model. */
export function upstreamFromEnv(env) {
  if (!env.OPENAI_BASE_URL) return null;
  return {baseUrl: env.OPENAI_BASE_URL, apiKey: env.OPENAI_API_KEY ?? '', model: env.MODEL ?? ''};
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const upstream = upstreamFromEnv(process.env);
  const token = process.env.DEMO_TOKEN || 'demo-token';
  const host = process.env.HOST || 'localhost';
  const port = Number(process.env.PORT || 8080);
  const server = await startDemoServer({port, host, token, upstream}).catch((error) => {
    // A busy or forbidden port is the one failure a person fixes here: one line, no stack.
    if (error.code === 'EADDRINUSE') console.error(`chat-stream demo: port ${port} on ${host} is already in use (another npm start?); choose another with the PORT environment variable, e.g. PORT=${port + 1} npm start`);
    else if (error.code === 'EACCES') console.error(`chat-stream demo: no permission to listen on port ${port}; choose another with the PORT environment variable, e.g. PORT=8080 npm start`);
    else throw error;
    process.exit(1);
  });
  console.log(`chat-stream demo: http://${host}:${server.address().port}/  (token: ${token})`);
  console.log(upstream ? `Proxying the chat routes to ${upstream.baseUrl}${upstream.model ? ` (model ${upstream.model})` : ''}` : 'Answering with the embedded demo model in every format');
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.close(() => process.exit(0)).closeAllConnections());
}
