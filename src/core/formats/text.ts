import {isDone, type ChatFormat} from '../format.js';

/**
 * Plain text: a `text/plain` body streamed as it arrives (the AI SDK's `toTextStreamResponse()`,
 * many small backends), or Server-Sent Events whose data are plain text. The end of the body
 * is the answer's end.
 *
 * @internal
 */
export const text: ChatFormat = {
  name: 'text',
  plainBody: 'text',
  endsWithBody: true,
  read(event, answer) {
    const {data} = event;
    if (isDone(event)) return 'end';
    answer.began = true;
    answer.add(data);
    return null;
  },
};
