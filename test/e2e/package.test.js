// The package as a project gets it: `npm pack` of the build (`npm test` builds first),
// installed with no network into a throwaway project, and every entry point imported there:
// `./core` in Node, the others in Chromium through an import map made from the installed
// packages' `exports`, as a bundler or a CDN would resolve them.
import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import {cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {createServer} from 'node:http';
import {tmpdir} from 'node:os';
import {extname, join} from 'node:path';
import {after, before, describe, it} from 'node:test';
import {promisify} from 'node:util';
import {launchChromium} from './browser.js';

const run = promisify(execFile);
const root = new URL('../../', import.meta.url).pathname;
const readJson = (path) => JSON.parse(readFileSync(path, 'utf8'));
const {name} = readJson(join(root, 'package.json'));

/** `chat-stream`'s dependencies and theirs, as the project's lockfile pins them. */
function dependencyClosure() {
  const {packages} = readJson(join(root, 'package-lock.json'));
  const found = new Set();
  const pending = Object.keys(packages[''].dependencies);
  while (pending.length > 0) {
    const dependency = pending.pop();
    if (found.has(dependency)) continue;
    found.add(dependency);
    pending.push(...Object.keys(packages[`node_modules/${dependency}`]?.dependencies ?? {}));
  }
  return [...found];
}

/**
 * Packs the project and installs the tarball into a new project in `directory` without the
 * network. Its dependencies are copied in first from the project's own node_modules (the
 * versions the lockfile pins), so npm finds them satisfied and fetches nothing; a dependency
 * they lack fails the install (ENOTCACHED).
 */
async function installPacked(directory, dependencies) {
  const {stdout} = await run('npm', ['pack', '--json', '--pack-destination', directory], {cwd: root});
  const [{filename}] = JSON.parse(stdout);
  const consumer = join(directory, 'consumer');
  for (const dependency of dependencies) cpSync(join(root, 'node_modules', dependency), join(consumer, 'node_modules', dependency), {recursive: true, dereference: true});
  writeFileSync(join(consumer, 'package.json'), JSON.stringify({name: 'consumer', private: true, type: 'module'}));
  await run('npm', ['install', '--offline', '--no-audit', '--no-fund', join(directory, filename)], {cwd: consumer});
  return consumer;
}

/** The first target of an `exports` value a browser's `import` would take (conditions in their order). */
function browserTarget(value) {
  if (typeof value === 'string' || value === null) return value;
  const [, next] = Object.entries(value).find(([condition]) => ['browser', 'import', 'default'].includes(condition)) ?? [];
  return next === undefined ? null : browserTarget(next);
}

/** An import map of every entry point the installed packages export (wildcards aside). */
function importMap(consumer, packages) {
  const imports = {};
  for (const installed of packages) {
    const manifest = readJson(join(consumer, 'node_modules', installed, 'package.json'));
    const exports = manifest.exports ?? manifest.module ?? manifest.main;
    if (exports === undefined) continue;
    const subpaths = typeof exports === 'object' && Object.keys(exports)[0]?.startsWith('.') ? exports : {'.': exports};
    for (const [subpath, value] of Object.entries(subpaths)) {
      const target = browserTarget(value);
      if (!subpath.includes('*') && target) imports[installed + subpath.slice(1)] = `/node_modules/${installed}/${target.replace(/^\.\//, '')}`;
    }
  }
  return {imports};
}

const TYPES = {'.js': 'text/javascript', '.json': 'application/json', '.html': 'text/html'};

/** Serves `directory`; the paths it could not find are kept, to name them in a failure. */
function serve(directory) {
  const missing = [];
  const server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url, 'http://localhost').pathname);
    try {
      const body = readFileSync(join(directory, path));
      response.writeHead(200, {'content-type': TYPES[extname(path)] ?? 'application/octet-stream'}).end(body);
    } catch {
      missing.push(path);
      response.writeHead(404).end();
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({server, missing, origin: `http://127.0.0.1:${server.address().port}`})));
}

describe('the packed package, installed offline', {timeout: 60000}, () => {
  const state = {};

  before(async () => {
    state.directory = mkdtempSync(join(tmpdir(), 'chat-stream-package-'));
    const dependencies = dependencyClosure();
    state.consumer = await installPacked(state.directory, dependencies);
    state.importMap = JSON.stringify(importMap(state.consumer, [name, ...dependencies]));
    state.site = await serve(state.consumer);
    state.browser = await launchChromium();
  });

  after(async () => {
    await state.browser?.close();
    state.site?.server.close();
    if (state.directory) rmSync(state.directory, {recursive: true, force: true});
  });

  /** Runs `script` as a module in a page with the consumer's import map; it sets `window.report`. */
  async function report(script) {
    const page = await state.browser.newPage();
    const errors = [];
    page.on('pageerror', (error) => errors.push(error.message));
    state.site.missing.length = 0;
    writeFileSync(join(state.consumer, 'page.html'), `<!doctype html><link rel="icon" href="data:,"><script type="importmap">${state.importMap}</script><script type="module">${script}</script>`);
    await page.goto(`${state.site.origin}/page.html`);
    // A failed import sets no report: the errors and the missing files below say why.
    await page.waitForFunction(() => 'report' in window, {timeout: 15000}).catch(() => {});
    const result = await page.evaluate(() => window.report);
    await page.close();
    assert.deepEqual({errors, missing: state.site.missing}, {errors: [], missing: []});
    return result;
  }

  const rendered = `element.shadowRoot?.querySelector('[part="send-button"]') !== null`;

  it('./core runs in Node with ChatSession and streamChat', async () => {
    const script = `const core = await import('${name}/core'); console.log(JSON.stringify({ChatSession: typeof core.ChatSession, streamChat: typeof core.streamChat}));`;

    const {stdout} = await run(process.execPath, ['--input-type=module', '-e', script], {cwd: state.consumer});

    assert.deepEqual(JSON.parse(stdout), {ChatSession: 'function', streamChat: 'function'});
  });

  it('ships the custom elements manifest package.json names', () => {
    const installed = join(state.consumer, 'node_modules', name);

    const manifest = readJson(join(installed, readJson(join(installed, 'package.json')).customElements));

    assert.ok(manifest.modules.some((module) => module.declarations?.some((declaration) => declaration.tagName === 'chat-stream')));
  });

  it('the main entry registers <chat-stream>, with the one class chat-stream/element exports', async () => {
    const result = await report(`
      import {ChatStream} from '${name}';
      import {ChatStream as Unregistered} from '${name}/element';
      const element = document.body.appendChild(document.createElement('chat-stream'));
      await element.updateComplete;
      window.report = {registered: customElements.get('chat-stream') === ChatStream, oneClass: ChatStream === Unregistered, rendered: ${rendered}};`);

    assert.deepEqual(result, {registered: true, oneClass: true, rendered: true});
  });

  it('chat-stream/element registers nothing, and define() registers the class under a name of its own', async () => {
    const result = await report(`
      import {ChatStream, define} from '${name}/element';
      const before = customElements.get('chat-stream') ?? null;
      define('my-chat');
      const element = document.body.appendChild(document.createElement('my-chat'));
      await element.updateComplete;
      window.report = {before, mine: customElements.get('my-chat') === ChatStream && element instanceof ChatStream, rendered: ${rendered}};`);

    assert.deepEqual(result, {before: null, mine: true, rendered: true});
  });

  it('chat-stream/bundle registers <chat-stream> on its own', async () => {
    const result = await report(`
      import {ChatStream} from '${name}/bundle';
      const element = document.body.appendChild(document.createElement('chat-stream'));
      await element.updateComplete;
      window.report = {registered: customElements.get('chat-stream') === ChatStream, rendered: ${rendered}};`);

    assert.deepEqual(result, {registered: true, rendered: true});
  });

  it('every entry point has its types', async () => {
    writeFileSync(
      join(state.consumer, 'entries.ts'),
      `import {ChatStream} from '${name}';
      import {ChatStream as Unregistered, define} from '${name}/element';
      import {ChatStream as Bundled} from '${name}/bundle';
      import {ChatSession, streamChat} from '${name}/core';
      const element: ChatStream = document.createElement('chat-stream');
      const classes: (typeof ChatStream)[] = [Unregistered, Bundled];
      const session: ChatSession = element.session;
      define('my-chat');
      export {classes, session, streamChat};`,
    );
    const tsc = join(root, 'node_modules/typescript/bin/tsc');

    // tsc says what it could not type on stdout, and fails.
    const {stdout} = await run(process.execPath, [tsc, '--noEmit', '--strict', '--target', 'es2022', '--module', 'esnext', '--moduleResolution', 'bundler', '--lib', 'es2023,dom,dom.iterable', 'entries.ts'], {cwd: state.consumer}).catch((failure) => failure);

    assert.equal(stdout, '');
  });
});
