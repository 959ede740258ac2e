// `npm run screenshot`: the docs' pictures of the demo (README.md, docs/), taken headless with
// Debian's Chromium (Chinese and emoji need Debian's fonts-noto-cjk and fonts-noto-color-emoji, Arabic
// fonts-noto-core): the page as it opens (docs/demo.png), then the default chat alone in light,
// dark, Chinese (zh-CN) and Arabic (right to left), each at desktop and phone width, and a
// model's reasoning: as it thinks (docs/demo-thinking.png), and opened by the reader once it
// answered (docs/demo-reasoning.png).
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

/** Takes the default chat in `page`, then closes the page. */
async function shootChat(page, name) {
  const path = `${directory}/${name}.png`;
  await (await page.$('#plain')).screenshot({path});
  console.log(`wrote ${path}`);
  await page.close();
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
      await shootChat(shot, `demo-${name}-${width}`);
    }
  }
  // The think-tags scenario while the model thinks: taken once most of its reasoning shows.
  const thinking = await openDemo(WIDTHS.desktop, 'light');
  await thinking.evaluate(async (question) => {
    const plain = document.querySelector('#plain');
    plain.extraBody = {scenario: 'think-tags'};
    void plain.send(question);
    await new Promise((resolve) => {
      const look = () => (plain.shadowRoot.querySelector('[part~="thinking"] [part="reasoning-content"]')?.textContent.length > 60 ? resolve() : requestAnimationFrame(look));
      look();
    });
  }, QUESTIONS.en);
  await shootChat(thinking, 'demo-thinking');
  // The reasoning scenario: the section folded as the answer began, then opened by the reader.
  const reasoning = await openDemo(WIDTHS.desktop, 'light');
  await reasoning.evaluate(async (question) => {
    const plain = document.querySelector('#plain');
    plain.extraBody = {scenario: 'reasoning'};
    await plain.send(question);
    plain.shadowRoot.querySelector('[part="reasoning-summary"]').click();
    // After the frame in which the log follows the opened section down.
    await new Promise((resolve) => setTimeout(resolve, 300));
    plain.shadowRoot.querySelector('[part="log"]').scrollTop = 0;
  }, QUESTIONS.en);
  await shootChat(reasoning, 'demo-reasoning');
  console.log(`wrote ${directory}/demo.png`);
} finally {
  await browser.close();
  server.closeAllConnections();
  server.close();
}
