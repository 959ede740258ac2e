import {useState} from 'react';
// Defines <chat-stream> before React first renders it: React 19 sets a property only when the
// element has it, and an undefined element has none (the objects below would become attributes).
import 'chat-stream';
import type {ChatStarter} from 'chat-stream';
// Types <chat-stream> in TSX: its properties, and its events as `on` + the name as written.
import type {} from 'chat-stream/react';

// Outside the component: React sets a property again whenever it gets a new object.
const starters: ChatStarter[] = [{title: 'What can you do?', prompt: 'What can you do?'}];
const strings = {send: 'Ask'};

export function Chat() {
  const [answer, setAnswer] = useState('');
  const [problem, setProblem] = useState('');
  return (
    <>
      <chat-stream
        endpoint="/api/chat"
        noToken
        starters={starters}
        strings={strings}
        ondone={(event) => setAnswer(event.detail.text)}
        onerror={(event) => setProblem(event.detail.message)}
      />
      <p>
        Last answer: <output>{answer}</output>
      </p>
      {problem && <p role="alert">{problem}</p>}
    </>
  );
}
