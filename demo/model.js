// The embedded model's answers: deterministic Markdown in the language of the question; a call
// of a tool when asked for the time or a calculation, and an answer from the tool's result; a
// description of the files a question attaches.

const CJK = /[\u3400-\u9fff]/;
const TIME = /\btime\b|几点|时间/i;
/** "calculate …": whatever follows is the expression, even one the tool will refuse. */
const CALCULATE = /^(?:calculate|compute|计算|算一下)\s*[:：]?\s*(.+)$/is;
/** "what is …": a calculation only when an arithmetic expression follows. */
const WHAT_IS = /^(?:what is|what's|how much is)\s+(.+)$/is;
/** Numbers, operators and parentheses only, with a digit and an operator at least. */
const isArithmetic = (text) => /^[\d\s.+\-*/%^×÷()（）]+$/.test(text) && /\d/.test(text) && /[-+*/%^×÷]/.test(text);

/**
 * What the model says to a turn (see conversation.js readTurn): `{text}`, or `{call: {name,
 * input}}` when it calls a tool first. A question about the time calls `local_time`, one about
 * a calculation `calculate`, each only when the request declares it; with `onServer` the server
 * runs the tools itself (the AI SDK route), and the time is the server's, `server_time`.
 */
export function replyTo({question, files, toolResult, tools}, {onServer = false} = {}) {
  if (toolResult) return {text: toolAnswerFor(question, toolResult)};
  if (files.length > 0) return {text: filesAnswerFor(question, files)};
  const call = toolAskedIn(question, {onServer});
  if (!call) return {text: answerFor(question)};
  if (!onServer && !tools.has(call.name)) return {text: (isChinese(question) ? ZH : EN).undeclared(call.name)};
  return {call};
}

/** The tool a question asks for, with its input, or null. */
function toolAskedIn(question, {onServer}) {
  const asked = question.trim().replace(/[\s?？=。!！]+$/u, '');
  const expression = CALCULATE.exec(asked)?.[1] ?? WHAT_IS.exec(asked)?.[1] ?? asked;
  if (isArithmetic(expression) || CALCULATE.test(asked)) return {name: 'calculate', input: {expression: expression.trim()}};
  if (TIME.test(question)) return {name: onServer ? 'server_time' : 'local_time', input: {}};
  return null;
}

/**
 * The answer to a tool's result (`{name, input, output, isError}`; `output` as text): what it
 * gave, or, when it failed or the reader denied it (`isError`, or an output that says so), that
 * the model could not.
 */
export function toolAnswerFor(question, {name, input, output, isError}) {
  const words = isChinese(question) ? ZH : EN;
  const expression = String(input?.expression ?? '');
  const task = words.tasks[name]?.(expression) ?? words.tasks.other(name);
  if (/\bdenied\b/i.test(output)) return words.couldNot(task, words.denied);
  if (isError || /\b(failed|stopped)\b/i.test(output)) return words.couldNot(task, output);
  if (name === 'calculate') return `\`${expression}\` = **${output}**`;
  if (name !== 'local_time' && name !== 'server_time') return words.otherTool(name, output);
  const {time = output, timeZone = ''} = parsedObject(output);
  return words[name](time, timeZone);
}

/** A JSON object's fields, or none. */
function parsedObject(text) {
  try {
    const value = JSON.parse(text);
    return typeof value === 'object' && value !== null ? value : {};
  } catch {
    return {};
  }
}

/** The answer to a question with files: what each is (see conversation.js), as the model cannot see them. */
export function filesAnswerFor(question, files) {
  const words = isChinese(question) ? ZH : EN;
  return [words.filesIntro(question === '' ? '' : quote(question)), ...files.map((file) => `- ${words.file(file)}`)].join('\n');
}

const quote = (question) => (question.length > 60 ? `${question.slice(0, 60)}…` : question);

/** Whether a text is mostly Chinese, so the answer should be too. */
export function isChinese(text) {
  return CJK.test(text);
}

/** The deterministic Markdown answer to a question. `sections` makes it longer. */
export function answerFor(question, {sections = 1} = {}) {
  const chinese = isChinese(question);
  const quoted = quote(question);
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
  undeclared: (name) => `I would call the page's \`${name}\` tool for that, but this request declares no such tool: give the chat its \`tools\` (the demo page does).`,
  local_time: (time, zone) => `Your local time is **${time}**${zone ? ` (${zone})` : ''}, as your page's clock tells it.`,
  server_time: (time, zone) => `The server's time is **${time}**${zone ? ` (${zone})` : ''}: this route runs its tools on the server, which cannot see your page's clock.`,
  otherTool: (name, output) => `The tool \`${name}\` answered: ${output}`,
  couldNot: (task, why) => `Sorry, I could not ${task}: ${why}`,
  denied: 'you did not allow it.',
  tasks: {local_time: () => 'read your local time', server_time: () => 'read the server\'s time', calculate: (expression) => `calculate \`${expression}\``, other: (name) => `use the tool \`${name}\``},
  filesIntro: (question) => `## What you sent\n\n${question ? `You asked: **${question}** ` : ''}I cannot see files, but here is what I received:\n`,
  file: ({name, type, size, width, height, url}) =>
    url ? `a link to ${url} (${type}): the demo model opens no links` : `${name ? `**${name}**: ` : ''}${type}, ${size} bytes${width === undefined ? '' : `, ${width} × ${height} pixels`}`,
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
  undeclared: (name) => `这个问题我会调用页面的 \`${name}\` 工具，但这个请求没有声明它：请给聊天设置 \`tools\`（演示页面已经设置了）。`,
  local_time: (time, zone) => `你的本地时间是 **${time}**${zone ? `（${zone}）` : ''}，这是你页面上的时钟给出的。`,
  server_time: (time, zone) => `服务器的时间是 **${time}**${zone ? `（${zone}）` : ''}：这个路由在服务器上运行工具，看不到你页面上的时钟。`,
  otherTool: (name, output) => `工具 \`${name}\` 的结果：${output}`,
  couldNot: (task, why) => `抱歉，我没能${task}：${why}`,
  denied: '你没有允许。',
  tasks: {local_time: () => '读取你的本地时间', server_time: () => '读取服务器的时间', calculate: (expression) => `计算 \`${expression}\``, other: (name) => `使用工具 \`${name}\``},
  filesIntro: (question) => `## 你发来的文件\n\n${question ? `你问的是：**${question}**。` : ''}我看不见文件，但收到了这些：\n`,
  file: ({name, type, size, width, height, url}) =>
    url ? `一个链接 ${url}（${type}）：演示模型不会打开链接` : `${name ? `**${name}**：` : ''}${type}，${size} 字节${width === undefined ? '' : `，${width} × ${height} 像素`}`,
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
