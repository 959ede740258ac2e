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
  // The default chat answers (its actions under the answer, one rated); the themed one shows its
  // empty state with starters.
  await page.evaluate(async () => {
    const plain = document.querySelector('#plain');
    await plain.send('你好！流式输出是怎么工作的？');
    plain.session.setFeedback(plain.messages.at(-1).id, 'up');
    await plain.updateComplete;
  });
  await page.screenshot({path: output});
  console.log(`wrote ${output}`);
} finally {
  await browser.close();
  server.closeAllConnections();
  server.close();
}
