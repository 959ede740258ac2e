import {ref} from 'vue';
import 'chat-stream';

// Plain objects, not reactive ones: the element gets them as they are.
const starters = [{title: 'What can you do?', prompt: 'What can you do?'}];
const strings = {send: 'Ask'};

export const Chat = {
  setup() {
    return {answer: ref(''), problem: ref(''), starters, strings};
  },
  // `.prop` sets a property, where Vue would otherwise decide between property and attribute.
  template: `
    <chat-stream
      endpoint="/api/chat"
      no-token
      :starters.prop="starters"
      :strings.prop="strings"
      @done="answer = $event.detail.text"
      @error="problem = $event.detail.message"
    ></chat-stream>
    <p>Last answer: <output>{{ answer }}</output></p>
    <p v-if="problem" role="alert">{{ problem }}</p>
  `,
};
