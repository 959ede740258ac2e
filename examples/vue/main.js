import {createApp} from 'vue';
import {Chat} from './chat.js';

const app = createApp(Chat);
// <chat-stream> is a custom element, not a Vue component. (With single-file components, say so
// to the compiler instead: vue({template: {compilerOptions: {isCustomElement}}}) in Vite.)
app.config.compilerOptions.isCustomElement = (tag) => tag === 'chat-stream';
app.mount('#app');
