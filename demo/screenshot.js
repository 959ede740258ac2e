// `npm run screenshot`: the README's picture of the demo, taken headless with Debian's
// Chromium (Chinese and emoji need Debian's fonts-noto-cjk and fonts-noto-color-emoji).
import {launchChromium} from '../test/e2e/browser.js';
import {startDemoServer} from './server.js';

const output = process.argv[2] ?? 'docs/demo.png';
const server = await startDemoServer({port: 0, host: '127.0.0.1'});
const browser = await launchChromium();
try {
  const page = await browser.newPage();
  await page.setViewport({width: 1280, height: 1000, deviceScaleFactor: 1});
  await page.goto(`http://127.0.0.1:${server.address().port}/`, {waitUntil: 'networkidle0'});
  await page.evaluate(async () => {
    const [plain, themed] = document.querySelectorAll('chat-stream');
    await Promise.all([plain.send('How does streaming work?'), themed.send('你好！流式输出是怎么工作的？')]);
  });
  await page.screenshot({path: output});
  console.log(`wrote ${output}`);
} finally {
  await browser.close();
  server.closeAllConnections();
  server.close();
}
