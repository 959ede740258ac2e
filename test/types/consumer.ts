// What a TypeScript page sees of <chat-stream>: its events' details, and every public
// property taking a right value and refusing a wrong one.
import {ChatSession, type ChatStream, type ChatTool} from 'chat-stream';

const chat = document.querySelector('chat-stream')!;

chat.addEventListener('done', (event) => {
  const text: string = event.detail.text;
  // @ts-expect-error `done` has no `answer` field: its text is `detail.text`.
  void event.detail.answer;
  return text;
});
chat.addEventListener('error', (event) => {
  const kind: string = event.detail.kind;
  // @ts-expect-error `error` is the element's CustomEvent, not an ErrorEvent.
  void event.filename;
  return kind;
});
chat.addEventListener('tool-call', (event) => event.detail.respond({ok: true}));
document.body.addEventListener('update', (event) => event.detail.delta.length);

const weather: ChatTool = {description: 'The weather in a city', parameters: {type: 'object', properties: {city: {type: 'string'}}}, run: (input) => `Sunny in ${(input as {city: string}).city}`};

export const everyProperty: Required<Pick<ChatStream, keyof typeof ChatStream.properties>> & Pick<ChatStream, 'session'> = {
  endpoint: '/api/chat',
  token: 't',
  tokenHeader: 'Authorization',
  model: 'gpt-4o-mini',
  system: 'Be brief.',
  format: 'openai',
  maxTokens: 1024,
  textPath: 'answer',
  reasoningPath: 'thinking',
  thinkTags: false,
  reasoning: 'open',
  errorPath: 'error.message',
  donePath: 'event=end',
  noToken: true,
  retries: 2,
  firstByteTimeout: 30,
  idleTimeout: 30,
  resumeAttempts: 1,
  getToken: async () => 'fresh-token',
  tools: {weather},
  maxSteps: 3,
  placeholder: 'Ask away',
  logLabel: 'Conversation',
  headingLevel: 3,
  inputLabel: 'Question',
  strings: {send: 'Ask'},
  headers: {'x-team': 'docs'},
  extraBody: {temperature: 0.2},
  noMarkdown: false,
  highlight: (code) => code,
  math: (tex) => tex,
  messageView: (container) => ({append: (delta) => container.append(delta), replace: (text) => (container.textContent = text)}),
  persist: 'local',
  conversationId: 'support',
  storage: {load: () => [], save: () => {}},
  actions: 'copy regenerate',
  starters: ['Hello', {title: 'Pricing', prompt: 'What does it cost?'}],
  accept: 'image/*,.pdf',
  maxFileSize: 1_000_000,
  maxFiles: 3,
  upload: async (file) => `/files/${file.name}`,
  session: new ChatSession({url: '/api/chat'}),
};
Object.assign(chat, everyProperty);

chat.messages = [{role: 'user', content: 'Hi'}, {role: 'assistant', content: 'Hello!'}];
const shown: string = chat.messages[0]!.id;
void shown;

// @ts-expect-error `endpoint` is a URL string.
chat.endpoint = 42;
// @ts-expect-error `starters` are strings or {title, prompt}.
chat.starters = [{label: 'Hello'}];
// @ts-expect-error `strings` are the built-in strings by name.
chat.strings = {sendButton: 'Ask'};
// @ts-expect-error `maxTokens` is a number.
chat.maxTokens = '1024';
// @ts-expect-error a message's text is `content`.
chat.messages = [{role: 'user', text: 'Hi'}];
// @ts-expect-error `streaming` is the element's state, read-only.
chat.streaming = true;
