// <chat-stream> in a React 19 component, typed by `chat-stream/react`: its properties, and its
// events as React 19 adds them to a custom element (`ondone`: `on` and the name as written).
import {useRef} from 'react';
import type {ChatStream} from 'chat-stream';
import type {} from 'chat-stream/react';

export function Chat({onAnswer}: {onAnswer: (text: string) => void}) {
  const chat = useRef<ChatStream>(null);
  return (
    <chat-stream
      ref={chat}
      endpoint="/api/chat"
      noToken
      className="chat"
      starters={[{title: 'Pricing', prompt: 'What does it cost?'}]}
      strings={{send: 'Ask'}}
      messages={[{role: 'user', content: 'Hi'}]}
      ondone={(event) => onAnswer(event.detail.text)}
      onerror={(event) => console.warn(event.detail.message)}
      ontool-call={(event) => event.detail.respond('ok')}
    >
      <h2 slot="header">Support</h2>
    </chat-stream>
  );
}

export const wrongEndpoint = (
  // @ts-expect-error `endpoint` is a URL string.
  <chat-stream endpoint={42} />
);
export const wrongEvent = (
  // @ts-expect-error `onDone` would listen to an event named `Done`: React 19 wants `ondone`.
  <chat-stream onDone={() => {}} />
);
export const wrongDetail = (
  // @ts-expect-error `done` has no `answer` field: its text is `detail.text`.
  <chat-stream ondone={(event) => event.detail.answer} />
);
export const wrongStarters = (
  // @ts-expect-error `starters` are strings or {title, prompt}.
  <chat-stream starters={[{label: 'Hello'}]} />
);
