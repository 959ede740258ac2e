import {css} from 'lit';

// Colours that differ between light and dark are internal `--_*` properties: light values for
// every browser, then light-dark() where it is supported (it follows `color-scheme`, so a page
// can pin one scheme). Without that support the element stays light rather than losing colours.
export const styles = css`
  :host {
    --_color: var(--chat-stream-color, #1f2328);
    --_background: var(--chat-stream-background, #fff);
    --_border: var(--chat-stream-border-color, #d8dee4);
    /* The input's edge is what shows where to type: 3:1 against the background (WCAG 1.4.11). */
    --_input-border: var(--chat-stream-border-color, #818b98);
    --_accent: var(--chat-stream-accent, #2563eb);
    --_user-background: var(--chat-stream-user-background, #eef2ff);
    --_assistant-background: var(--chat-stream-assistant-background, #f6f8fa);
    --_muted: var(--chat-stream-muted-color, #59636e);
    --_error: var(--chat-stream-error-color, #b42318);
    --_radius: var(--chat-stream-radius, 12px);
    --_gap: var(--chat-stream-gap, 12px);
    --_code: var(--chat-stream-code-background, rgb(127 127 127 / 0.12));
    --_line: 1px solid var(--_border);
    /* One blue in both schemes: white on it is 5.2:1 (the dark scheme's lighter accent, 3.7:1). */
    --_button: var(--chat-stream-accent, #2563eb);

    color-scheme: light dark;
    /* A page's CSS outweighs these two: the frame inside fills the element under any display. */
    display: flex;
    flex-direction: column;
    box-sizing: border-box;
    height: var(--chat-stream-height, 32rem);
    /* Never taller than the screen, and dvh leaves room for a phone's on-screen keyboard. */
    max-height: 100vh;
    max-height: 100dvh;
    min-height: 12rem;
    overflow: hidden;
    font-family: var(--chat-stream-font, system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', 'Noto Sans CJK SC', sans-serif);
    font-size: var(--chat-stream-font-size, 15px);
    line-height: 1.55;
    color: var(--_color);
    background: var(--_background);
    border: var(--_line);
    border-radius: var(--_radius);
  }

  @supports (color: light-dark(#000, #fff)) {
    :host {
      --_color: var(--chat-stream-color, light-dark(#1f2328, #e6edf3));
      --_background: var(--chat-stream-background, light-dark(#fff, #0d1117));
      --_border: var(--chat-stream-border-color, light-dark(#d8dee4, #30363d));
      --_input-border: var(--chat-stream-border-color, light-dark(#818b98, #6e7681));
      --_accent: var(--chat-stream-accent, light-dark(#2563eb, #3b82f6));
      --_user-background: var(--chat-stream-user-background, light-dark(#eef2ff, #1e2a4a));
      --_assistant-background: var(--chat-stream-assistant-background, light-dark(#f6f8fa, #161b22));
      --_muted: var(--chat-stream-muted-color, light-dark(#59636e, #8b949e));
      --_error: var(--chat-stream-error-color, light-dark(#b42318, #ff7b72));
    }
  }

  /* The parts' layout, out of the page's reach. The frame fills the element: as its flex item,
     or by height: 100% under a display the page gave it. With no height to take (height: auto
     under another display) it grows with the conversation up to the element's max-height. The
     log takes what the other parts leave, and scrolls. */
  .frame {
    /* The drop target covers it. */
    position: relative;
    display: flex;
    flex: auto;
    flex-direction: column;
    height: 100%;
    min-height: 0;
    max-height: inherit;
  }

  [hidden] {
    display: none !important;
  }

  [part='log'] {
    flex: 1;
    overflow-y: auto;
    overscroll-behavior: contain;
    display: flex;
    flex-direction: column;
    gap: var(--_gap);
    padding: var(--_gap);
  }

  .empty {
    margin: auto;
    color: var(--_muted);
    text-align: center;
  }

  [part='starters'] {
    display: flex;
    flex-wrap: wrap;
    justify-content: center;
    gap: calc(var(--_gap) / 2);
  }

  [part='starter-button'] {
    padding: 0.4em 0.9em;
    color: var(--_color);
  }

  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }

  /* A page of messages (see MessageList) off screen is neither styled nor laid out: a long conversation costs what its visible part does. */
  .messages {
    display: flex;
    flex-direction: column;
    /* Skipped, it has no content to keep it from shrinking to nothing in the log. */
    flex-shrink: 0;
    gap: var(--_gap);
    content-visibility: auto;
    contain-intrinsic-size: auto 40rem;
  }

  [part~='message'] {
    max-width: min(85%, 48rem);
    padding: calc(var(--_gap) * 0.75) var(--_gap);
    border-radius: var(--_radius);
    overflow-wrap: anywhere;
  }

  [part~='user'] {
    align-self: flex-end;
    background: var(--_user-background);
    color: var(--chat-stream-user-color, var(--_color));
    border-end-end-radius: calc(var(--_radius) / 4);
  }

  [part~='assistant'] {
    align-self: flex-start;
    background: var(--_assistant-background);
    color: var(--chat-stream-assistant-color, var(--_color));
    border-end-start-radius: calc(var(--_radius) / 4);
  }

  [part='content'] {
    white-space: pre-wrap;
  }

  [part='content']:empty {
    display: none;
  }

  .markdown {
    white-space: normal;
  }

  /* A finished page of an answer's blocks (see MarkdownView) off screen is not laid out: appending
     to a long answer costs what its visible part does. The page being written is left alone, so a
     short answer never shows the placeholder's size for a frame (the log would jump). Contained, a
     page's margins no longer collapse with its neighbour's: each page's first block drops its top
     one. Every page, the one being written too, remembers its size (contain-intrinsic-size: auto):
     a finished page skipped the moment it is finished keeps its height rather than 40rem, which
     shrank the log under the reader and read as a scroll up, so following the newest text stopped. */
  .page {
    contain-intrinsic-size: auto 40rem;
  }

  .page:not(:last-child) {
    content-visibility: auto;
  }

  .page > :first-child {
    margin-top: 0;
  }

  .page:last-child > :last-child {
    margin-bottom: 0;
  }

  .markdown :where(p, ul, ol, blockquote, .table, .code-block, h1, h2, h3, h4, h5, h6) {
    margin: 0.6em 0;
  }

  .markdown :is(h1, h2, h3, h4, h5, h6) {
    font-size: 1em;
    line-height: 1.3;
  }

  .markdown h1 { font-size: 1.4em; }
  .markdown h2 { font-size: 1.25em; }
  .markdown h3 { font-size: 1.1em; }

  .markdown :is(ul, ol) {
    padding-inline-start: 1.5em;
  }

  .markdown li > :is(ul, ol) {
    margin: 0.2em 0;
  }

  .markdown .math-display {
    display: block;
    margin: 0.5em 0;
    overflow-x: auto;
    text-align: center;
  }

  /* A task list item: its checkbox stands where the bullet was. */
  .markdown li:has(> input[type='checkbox']:first-child) {
    list-style: none;
  }

  .markdown li > input[type='checkbox']:first-child {
    margin: 0;
    margin-inline: -1.3em 0.35em;
  }

  .markdown blockquote {
    padding-inline-start: 0.9em;
    border-inline-start: 3px solid var(--_border);
    color: var(--_muted);
  }

  .markdown a {
    color: var(--_accent);
  }

  .markdown :not(pre) > code {
    padding: 0.1em 0.35em;
    font-size: 0.9em;
    border-radius: 4px;
    background: var(--_code);
  }

  .markdown :is(code, pre) {
    font-family: var(--chat-stream-code-font, ui-monospace, SFMono-Regular, Menlo, Consolas, monospace);
  }

  .code-block {
    border: var(--_line);
    border-radius: calc(var(--_radius) / 1.5);
    overflow: hidden;
  }

  .code-header {
    display: flex;
    justify-content: space-between;
    align-items: center;
    padding: 0.2em 0.4em;
    padding-inline-start: 0.8em;
    font-size: 0.8em;
    color: var(--_muted);
    background: var(--_code);
  }

  /* Code reads left to right whatever the text around it; tables follow the text. */
  .markdown pre {
    direction: ltr;
    text-align: left;
    margin: 0;
    padding: 0.75em 0.9em;
    overflow-x: auto;
    font-size: 0.88em;
    line-height: 1.45;
  }

  .table {
    overflow-x: auto;
  }

  .markdown table {
    border-collapse: collapse;
    font-size: 0.95em;
  }

  .markdown :is(th, td) {
    padding: 0.35em 0.7em;
    border: var(--_line);
  }

  .markdown th {
    background: var(--_code);
  }

  .markdown hr {
    border: 0;
    border-top: var(--_line);
  }

  [part='status'] {
    color: var(--_muted);
    font-size: 0.85em;
  }

  /* After text only: a Markdown answer with none yet holds an empty page. */
  :is(:not(:empty, .markdown), .markdown:has(> :not(:empty))) + :is([part='status'], [part='error'], .tool-calls) {
    margin-top: calc(var(--_gap) / 2);
  }

  .tool-calls {
    display: flex;
    flex-direction: column;
    gap: calc(var(--_gap) / 2);
  }

  [part~='tool-call'] {
    padding: 0.3em 0.7em;
    font-size: 0.9em;
    background: var(--_background);
    border: var(--_line);
    border-radius: calc(var(--_radius) / 1.5);
  }

  [part~='tool-call'][data-state='approval'] {
    border-color: var(--_accent);
  }

  .tool-head {
    display: flex;
    align-items: baseline;
    gap: 0.6em;
  }

  .tool-name {
    font-weight: 600;
  }

  /* The arguments on one line, cut at the card's edge: the details hold them whole. */
  .tool-arguments {
    flex: 1;
    min-width: 0;
    overflow: hidden;
    white-space: nowrap;
    text-overflow: ellipsis;
    color: var(--_muted);
  }

  .tool-state {
    margin-inline-start: auto;
    color: var(--_muted);
    white-space: nowrap;
  }

  [data-state='failed'] :is(.tool-state, .tool-error) {
    color: var(--_error);
  }

  /* A dot that pulses (a running tool call; a model that only thinks), and stands still where motion is reduced. */
  [data-state='running'] .tool-state::before,
  [part~='reasoning'][part~='thinking'] > [part='reasoning-summary']::after {
    content: '';
    display: inline-block;
    width: 6px;
    height: 6px;
    margin-inline-end: 0.4em;
    vertical-align: middle;
    border-radius: 50%;
    background: currentColor;
    animation: pulse 1.2s infinite ease-in-out;
  }

  .tool-buttons {
    display: flex;
    gap: 0.4em;
    margin: 0.3em 0;
  }

  .tool-buttons button {
    padding: 0.1em 0.9em;
  }

  /* Outweighs the buttons' plain look below. */
  .tool-buttons [part='tool-approve-button'] {
    color: var(--chat-stream-accent-color, #fff);
    background: var(--_button);
    border-color: var(--_button);
  }

  [part~='tool-call'] summary {
    width: fit-content;
    min-height: 24px;
    color: var(--_muted);
    cursor: pointer;
  }

  [part~='tool-call'] dl {
    margin: 0.2em 0 0.3em;
  }

  [part~='tool-call'] dt {
    color: var(--_muted);
  }

  [part~='tool-call'] dd {
    margin: 0 0 0.3em;
  }

  [part~='tool-call'] :is(code, pre) {
    font-family: var(--chat-stream-code-font, ui-monospace, SFMono-Regular, Menlo, Consolas, monospace);
    font-size: 0.9em;
  }

  [part~='tool-call'] pre {
    max-height: 16em;
    margin: 0;
    padding: 0.4em 0.6em;
    overflow: auto;
    white-space: pre-wrap;
    border-radius: 4px;
    background: var(--_code);
  }

  /* An answer's reasoning: muted and smaller, above its text, its lines marked off at the inline start. */
  [part~='reasoning'] {
    color: var(--_muted);
    font-size: 0.9em;
  }

  [part~='reasoning']:has(~ [part='content']:not(:empty)) {
    margin-bottom: calc(var(--_gap) / 2);
  }

  [part='reasoning-summary'] {
    width: fit-content;
    min-height: 24px;
    cursor: pointer;
  }

  [part='reasoning-content'] {
    margin-top: 0.3em;
    padding-inline-start: 0.8em;
    border-inline-start: 2px solid var(--_border);
  }

  /* While the model only thinks, its summary says so (with the pulsing dot after it): the waiting dots would say it twice. */
  [part~='reasoning'][part~='thinking'] > [part='reasoning-summary']::after {
    margin-inline: 0.5em 0;
  }

  [part~='reasoning'][part~='thinking'] ~ .waiting {
    display: none;
  }

  .waiting {
    display: flex;
    gap: 4px;
    padding: 6px 0;
  }

  .waiting span {
    width: 6px;
    height: 6px;
    border-radius: 50%;
    background: var(--_muted);
    animation: pulse 1.2s infinite ease-in-out;
  }

  .waiting span + span {
    animation-delay: 0.2s;
  }

  .waiting span + span + span {
    animation-delay: 0.4s;
  }

  @keyframes pulse {
    0%, 80%, 100% { opacity: 0.25; }
    40% { opacity: 1; }
  }

  /* Also a theme's animations, transitions and smooth scrolling (through ::part). */
  @media (prefers-reduced-motion: reduce) {
    *,
    ::before,
    ::after {
      animation: none !important;
      transition: none !important;
      scroll-behavior: auto !important;
    }

    .waiting span {
      opacity: 0.6;
    }
  }

  [part='actions'] {
    display: flex;
    gap: 2px;
    margin: calc(var(--_gap) / 3) -6px -6px;
  }

  [part~='user'] [part='actions'] {
    justify-content: flex-end;
  }

  [part='actions'] button {
    display: flex;
    padding: 5px;
    color: var(--_muted);
    border-color: transparent;
  }

  [part='actions'] :is(button:hover, [aria-pressed='true']) {
    color: var(--_accent);
  }

  svg {
    width: 16px;
    height: 16px;
    fill: none;
    stroke: currentColor;
    stroke-width: 2;
    stroke-linecap: round;
    stroke-linejoin: round;
  }

  .down {
    rotate: 180deg;
  }

  [aria-pressed='true'] path {
    fill: currentColor;
    fill-opacity: 0.25;
  }

  [part='editor'] {
    display: flex;
    flex-direction: column;
    align-items: flex-end;
    gap: calc(var(--_gap) / 2);
    width: 24rem;
    max-width: 100%;
  }

  [part='editor-input'] {
    align-self: stretch;
    padding: 0.5em 0.7em;
    border-color: var(--_input-border);
    border-radius: calc(var(--_radius) / 1.5);
  }

  [part^='editor-'][part$='button'] {
    margin-inline-start: 0.4em;
    padding: 0.2em 0.9em;
  }

  [part='error'] {
    color: var(--_error);
    font-size: 0.9em;
  }

  /* What the server or network said, under the reader's sentence. */
  [part='error'] .detail {
    display: block;
    color: var(--_muted);
    overflow-wrap: anywhere;
  }

  :is(:not(:empty, .markdown), .markdown:has(> :not(:empty))) + [part='error'] {
    padding-top: calc(var(--_gap) / 2);
    border-top: var(--_line);
  }

  [part='login'] {
    margin: 0 var(--_gap) var(--_gap);
    padding: var(--_gap);
    border: var(--_line);
    border-radius: var(--_radius);
    text-align: center;
  }

  [part='form'] {
    display: flex;
    flex-wrap: wrap;
    gap: calc(var(--_gap) * 0.75);
    align-items: flex-end;
    padding: var(--_gap);
    border-top: var(--_line);
  }

  [part='input'] {
    flex: 1;
    min-width: 0;
    box-sizing: border-box;
    min-height: 2.75em;
    max-height: 10em;
    resize: none;
    padding: 0.6em 0.8em;
    border-radius: var(--_radius);
    border-color: var(--_input-border);
  }

  [part='input']::placeholder {
    color: var(--_muted);
  }

  /* Only the element's own buttons: a custom messageView's are left alone. */
  [part$='button'],
  textarea {
    font: inherit;
    color: inherit;
    background: none;
    border: var(--_line);
  }

  /* At least 24×24 CSS px to touch (WCAG 2.5.8), whatever the font size. */
  [part$='button'] {
    min-width: 24px;
    min-height: 24px;
    cursor: pointer;
    border-radius: var(--_radius);
  }

  [part='copy-button'] {
    padding: 0.1em 0.6em;
  }

  [part='send-button'] {
    min-width: 5em;
    min-height: 2.75em;
    padding: 0 1.1em;
    font-weight: 600;
  }

  :host(:not([streaming])) [part='send-button'] {
    color: var(--chat-stream-accent-color, #fff);
    background: var(--_button);
    border-color: var(--_button);
  }

  /* Files are still being read or uploaded, or one failed: Send says why instead of sending. */
  [part='send-button'][aria-disabled='true'] {
    opacity: 0.6;
    cursor: not-allowed;
  }

  [part='attach-button'] {
    display: flex;
    align-items: center;
    justify-content: center;
    min-width: 2.75em;
    min-height: 2.75em;
    padding: 0;
    color: var(--_muted);
  }

  [part='attach-button']:hover {
    color: var(--_accent);
  }

  [part='attach-button'] svg {
    width: 20px;
    height: 20px;
  }

  /* The files waiting to be sent, and what was said of those refused, take a row of their own above the input. */
  /* min-width: a long file name is cut, never widening the composer. */
  [part='attachments'],
  [part='attachment-error'] {
    flex: 1 0 100%;
    min-width: 0;
    margin: 0;
  }

  [part='attachments'],
  .message-attachments {
    display: flex;
    flex-wrap: wrap;
    gap: calc(var(--_gap) / 2);
    padding: 0;
    list-style: none;
  }

  [part='attachment-error'] {
    color: var(--_error);
    font-size: 0.85em;
  }

  [part='attachment'],
  [part='message-attachment'] {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.2em 0.5em;
    box-sizing: border-box;
    max-width: min(18rem, 100%);
    padding: 0.3em 0.5em;
    font-size: 0.85em;
    line-height: 1.3;
    border: var(--_line);
    border-radius: calc(var(--_radius) / 1.5);
  }

  [part='attachment'][data-state='failed'] {
    border-color: var(--_error);
  }

  [part='attachment'] .thumbnail {
    width: 2.5em;
    height: 2.5em;
    object-fit: cover;
    border-radius: 4px;
  }

  .file {
    display: flex;
    flex: 1;
    flex-direction: column;
    min-width: 0;
  }

  .file .name {
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }

  .file .size,
  .not-kept {
    color: var(--_muted);
  }

  /* Each reads in its own direction (a Latin file name in Arabic, and the other way round), aligned as the chip is. */
  .file > *,
  [part='attachment-error'],
  [part='attachment'] .failure {
    unicode-bidi: plaintext;
  }

  .not-kept {
    font-style: italic;
  }

  /* Progress and failure under the file's name, across the chip. */
  [part='attachment'] :is(progress, .failure) {
    flex: 1 0 100%;
    order: 1;
  }

  [part='attachment'] progress {
    height: 4px;
    accent-color: var(--_accent);
  }

  [part='attachment'] .failure {
    color: var(--_error);
  }

  [part='attachment-remove-button'] {
    display: flex;
    align-items: center;
    justify-content: center;
    padding: 2px;
    color: var(--_muted);
    border-color: transparent;
  }

  [part='attachment-remove-button']:hover {
    color: var(--_color);
  }

  .message-attachments {
    align-items: flex-start;
    margin: 0 0 calc(var(--_gap) / 2);
  }

  .message-attachments:has(+ [part='content']:empty) {
    margin-bottom: 0;
  }

  [part~='user'] .message-attachments {
    justify-content: flex-end;
  }

  [part='message-attachment'].image {
    padding: 0;
    border: 0;
  }

  [part='message-attachment'] img {
    display: block;
    width: 8rem;
    height: 8rem;
    object-fit: cover;
    border-radius: calc(var(--_radius) / 1.5);
  }

  /* Files dragged over the element: the whole of it takes them. */
  [part='drop-target'] {
    position: absolute;
    inset: 0;
    z-index: 1;
    display: grid;
    place-items: center;
    padding: var(--_gap);
    color: var(--_accent);
    font-weight: 600;
    text-align: center;
    background: var(--_background);
    background: color-mix(in srgb, var(--_background) 88%, transparent);
    border: 2px dashed var(--_accent);
    border-radius: var(--_radius);
    pointer-events: none;
  }

  @media (max-width: 30rem) {
    [part='message-attachment'] img {
      width: 6rem;
      height: 6rem;
    }
  }

  [part='retry-button'] {
    margin-inline-start: 0.5em;
    padding: 0.15em 0.8em;
    border-color: currentColor;
  }

  :focus-visible {
    outline: 2px solid var(--_accent);
    outline-offset: 2px;
  }

  [part='input']:focus-visible {
    outline-offset: 0;
  }

  /* Windows high contrast: backgrounds go, so borders show who said what and where buttons are. */
  @media (forced-colors: active) {
    [part~='message'] {
      border: 1px solid;
    }

    /* [part] outweighs the action buttons' transparent border. */
    [part][part$='button'] {
      border-color: ButtonBorder;
    }

    :focus-visible {
      outline-color: Highlight;
    }

    .waiting span,
    [data-state='running'] .tool-state::before,
    [part~='reasoning'][part~='thinking'] > [part='reasoning-summary']::after {
      forced-color-adjust: none;
      background: CanvasText;
    }
  }
`;
