// The embedded model's answers: deterministic Markdown in the language of the question.

const CJK = /[\u3400-\u9fff]/;

/**
 * The last user message's text, or '' when there is none. Its content is a string or, as
 * Anthropic, the Responses API and the AI SDK's UI messages (`parts`) send it, a list of parts
 * whose text parts count.
 */
export function lastQuestion(messages) {
  const last = [...messages].reverse().find((message) => message?.role === 'user');
  return textOf(last?.content ?? last?.parts).trim();
}

function textOf(content) {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content.map((part) => (typeof part?.text === 'string' ? part.text : '')).join('');
}

/** Whether a text is mostly Chinese, so the answer should be too. */
export function isChinese(text) {
  return CJK.test(text);
}

/** The deterministic Markdown answer to a question. `sections` makes it longer. */
export function answerFor(question, {sections = 1} = {}) {
  const chinese = isChinese(question);
  const quoted = question.length > 60 ? `${question.slice(0, 60)}…` : question;
  const words = chinese ? ZH : EN;
  const topic = words.topics[hash(question) % words.topics.length];
  const parts = [words.intro(quoted, topic)];
  for (let i = 1; i <= sections; i++) parts.push(words.section(i, topic));
  parts.push(words.outro);
  return parts.join('\n\n');
}

/**
 * The `math` scenario's answer: formulas in every notation the element reads (`$…$`, `\(…\)`, a
 * `$$` block, `\[…\]` on one line) and a price that is no formula, in the question's language.
 */
export function mathAnswerFor(question) {
  return (isChinese(question) ? ZH : EN).math;
}

/** The reasoning the `reasoning` scenario streams before its answer. */
export function reasoningFor(question) {
  return isChinese(question)
    ? `用户问的是「${question.slice(0, 30)}」。先想清楚要点，再分条回答，最后给一个例子。`
    : `The user asked "${question.slice(0, 40)}". List the key points first, then answer in order, then give an example.`;
}

/** Splits a text into model-like tokens: a word with its leading space, or one or two CJK characters. */
export function tokenize(text) {
  return text.match(/[\u3400-\u9fff]{1,2}|\s*[^\s\u3400-\u9fff]+|\s+/gu) ?? [];
}

/** A 32-bit hash of a text (djb2): what makes the demo's answers the same for the same request. */
export function hash(text) {
  let value = 5381;
  for (let i = 0; i < text.length; i++) value = ((value * 33) ^ text.charCodeAt(i)) >>> 0;
  return value;
}

const EN = {
  topics: ['streaming', 'rendering', 'error handling', 'accessibility'],
  intro: (question, topic) => `## Answer\n\nYou asked: **${question}**\n\nHere is a short, deterministic answer about *${topic}* from the chat-stream demo model.`,
  section: (n, topic) =>
    [
      `### ${n}. Key points on ${topic}`,
      `- Text arrives **token by token**, at a realistic pace.\n- The same question always gets the same answer.\n- \`Stop\` aborts the request; the partial answer stays.`,
      '```js\nconst chat = document.querySelector(\'chat-stream\');\nchat.addEventListener(\'done\', (event) => console.log(event.detail.text));\n```',
      '1. Install it:\n\n   ```bash\n   npm install chat-stream\n   ```\n\n2. Add `<chat-stream endpoint="/api/chat">` to a page &mdash; that is all.',
      '| state | meaning |\n| --- | --- |\n| streaming | text is arriving |\n| done | the answer is complete |\n| error | something failed; the partial text stays |',
      `> Tip ${n}: try the scenarios to see how each failure looks.`,
    ].join('\n\n'),
  outro: 'That is all: ask another question, or pick a scenario.',
  math: formulas({
    heading: 'Formulas',
    inline: (energy, triangle) => `Einstein's ${energy} links mass and energy, and Pythagoras says ${triangle}.`,
    price: 'Prices are no formulas: It costs $5 and $6.',
    area: 'The area under the parabola, as a block:',
    basel: 'And the Basel problem, on one line:',
  }),
};

const ZH = {
  topics: ['流式输出', '渲染', '错误处理', '无障碍'],
  intro: (question, topic) => `## 回答\n\n你问的是：**${question}**\n\n这是演示模型关于「${topic}」的确定性回答。`,
  section: (n, topic) =>
    [
      `### ${n}. 关于${topic}的要点`,
      '- 文字**逐个**到达，速度接近真实模型\n- 同样的问题，总是同样的回答\n- 点击「Stop」会中止请求，已到达的文字会保留',
      '```js\nconst chat = document.querySelector(\'chat-stream\');\nchat.addEventListener(\'done\', (event) => console.log(event.detail.text));\n```',
      '1. 安装：\n\n   ```bash\n   npm install chat-stream\n   ```\n\n2. 在页面里加上 `<chat-stream endpoint="/api/chat">`，就这样。',
      '| 状态 | 含义 |\n| --- | --- |\n| streaming | 文字正在到达 |\n| done | 回答完成 |\n| error | 出错了，已到达的文字保留 |',
      `> 提示 ${n}：试试不同的场景，看看每种失败的样子。`,
    ].join('\n\n'),
  outro: '就这些：再问一个问题，或者换一个场景。',
  math: formulas({
    heading: '公式',
    inline: (energy, triangle) => `质能方程 ${energy} 把质量和能量联系在一起，勾股定理说 ${triangle}。`,
    price: '价格不是公式：它卖 $5 和 $6。',
    area: '抛物线下的面积，单独成块：',
    basel: '巴塞尔问题，写在一行里：',
  }),
};

/** The same formulas in any language's prose. */
function formulas({heading, inline, price, area, basel}) {
  return [
    `## ${heading}`,
    inline('$E = mc^2$', '\\(a^2 + b^2 = c^2\\)'),
    price,
    area,
    '$$\n\\int_0^1 x^2\\,dx = \\frac{1}{3}\n$$',
    basel,
    '\\[ \\sum_{n=1}^\\infty \\frac{1}{n^2} = \\frac{\\pi^2}{6} \\]',
  ].join('\n\n');
}
