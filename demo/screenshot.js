// `npm run screenshot`: the README's pictures of the demo, taken headless with Debian's Chromium
// (Chinese and emoji need Debian's fonts-noto-cjk and fonts-noto-color-emoji, Arabic
// fonts-noto-core): the page as it opens (docs/demo.png), then the default chat alone in light,
// dark, Chinese (zh-CN) and Arabic (right to left), each at desktop and phone width.
import {launchChromium} from '../test/e2e/browser.js';
import {startDemoServer} from './server.js';

const directory = process.argv[2] ?? 'docs';
const server = await startDemoServer({port: 0, host: '127.0.0.1'});
const origin = `http://127.0.0.1:${server.address().port}/`;
const browser = await launchChromium();

const QUESTIONS = {en: 'How does streaming work?', 'zh-CN': '你好！流式输出是怎么工作的？', ar: 'كيف يعمل البث المتدفق؟'};
const SHOTS = [
  {name: 'light', lang: 'en', scheme: 'light'},
  {name: 'dark', lang: 'en', scheme: 'dark'},
  {name: 'zh-CN', lang: 'zh-CN', scheme: 'light'},
  {name: 'rtl', lang: 'ar', scheme: 'light'},
];
const WIDTHS = {desktop: {width: 1280, height: 900}, phone: {width: 375, height: 760}};

/** Opens the demo with a fresh conversation at `viewport` in `scheme`. */
async function openDemo(viewport, scheme) {
  const page = await browser.newPage();
  await page.setViewport({...viewport, deviceScaleFactor: 1});
  await page.emulateMediaFeatures([{name: 'prefers-color-scheme', value: scheme}]);
  await page.goto(origin, {waitUntil: 'networkidle0'});
  await page.evaluate(() => (localStorage.clear(), document.querySelector('#plain').clear()));
  return page;
}

try {
  // The page as it opens: the default chat answers (one answer rated), the themed one shows its starters.
  const page = await openDemo({width: 1280, height: 1000}, 'light');
  await page.evaluate(async (question) => {
    const plain = document.querySelector('#plain');
    await plain.send(question);
    plain.session.setFeedback(plain.messages.at(-1).id, 'up');
    await plain.updateComplete;
  }, QUESTIONS['zh-CN']);
  await page.screenshot({path: `${directory}/demo.png`});
  await page.close();
  for (const {name, lang, scheme} of SHOTS) {
    for (const [width, viewport] of Object.entries(WIDTHS)) {
      const shot = await openDemo(viewport, scheme);
      await shot.evaluate(async (language, question) => {
        const plain = document.querySelector('#plain');
        plain.setAttribute('lang', language);
        // The locale's strings arrive before the question is asked.
        await new Promise((resolve) => setTimeout(resolve, 300));
        await plain.send(question);
        await plain.updateComplete;
        plain.shadowRoot.querySelector('[part="log"]').scrollTop = 0;
      }, lang, QUESTIONS[lang]);
      const chat = await shot.$('#plain');
      const path = `${directory}/demo-${name}-${width}.png`;
      await chat.screenshot({path});
      console.log(`wrote ${path}`);
      await shot.close();
    }
  }
  console.log(`wrote ${directory}/demo.png`);
} finally {
  await browser.close();
  server.closeAllConnections();
  server.close();
}
