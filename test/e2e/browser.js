// Debian's Chromium driven by puppeteer-core (already installed with @web/test-runner-chrome),
// with the flags this sandbox needs.
import {after, before} from 'node:test';
import puppeteer from 'puppeteer-core';
import {startDemoServer} from '../../demo/server.js';

export function launchChromium() {
  return puppeteer.launch({
    executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** Polls `check` until it holds, or fails naming `what`. */
export async function until(check, what, timeout = 15000) {
  const end = Date.now() + timeout;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/**
 * Starts the demo server and Chromium before the file's tests and stops both after them;
 * `demo.origin` and `demo.browser` are set once they run.
 */
export function useDemo() {
  const demo = {origin: '', browser: null, server: null};
  before(async () => {
    demo.server = await startDemoServer({port: 0, host: '127.0.0.1'});
    demo.origin = `http://127.0.0.1:${demo.server.address().port}`;
    demo.browser = await launchChromium();
  });
  after(async () => {
    await demo.browser?.close();
    demo.server.closeAllConnections();
    demo.server.close();
  });
  return demo;
}
