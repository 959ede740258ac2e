import {nodeResolve} from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import typescript from '@rollup/plugin-typescript';

/** Collapses the whitespace and comments of Lit `css` templates: terser leaves template text alone. */
const minifyCss = () => ({
  name: 'minify-css',
  transform(code, id) {
    if (!id.endsWith('.styles.ts')) return null;
    return code.replace(/css\s*`([^`]*)`/g, (_, text) => {
      const css = text
        .replace(/\/\*[^]*?\*\//g, '')
        .replace(/\s+/g, ' ')
        .replace(/\s*([{};,])\s*/g, '$1')
        .replace(/:\s+/g, ':')
        .replace(/\s*>\s*/g, '>')
        .replace(/\[part([~$]?)='([\w-]+)'\]/g, '[part$1=$2]')
        // Our styles hold no strings with numbers in them, so this only shortens numbers.
        .replace(/([\s(:,])0\.(?=\d)/g, '$1.')
        .replace(/;}/g, '}');
      return `css\`${css.trim()}\``;
    });
  },
});

const input = {'chat-stream': 'src/chat-stream.ts', element: 'src/element.ts', 'core/index': 'src/core/index.ts'};

/** The built-in locales besides English (src/locales/): the ES build emits them as modules of their own, which the bundle imports from beside itself. */
const LOCALE = /[\\/]src[\\/]locales[\\/]([\w-]+)\.ts$/;

export default [
  // For bundlers and Node: one file per module, dependencies external, with types.
  {
    input,
    external: (id) => id === 'lit' || id.startsWith('lit/') || id === 'eventsource-parser',
    output: {dir: 'dist', format: 'es', preserveModules: true, preserveModulesRoot: 'src', sourcemap: true},
    plugins: [minifyCss(), typescript({tsconfig: './tsconfig.json', outDir: 'dist', declarationDir: 'dist'})],
  },
  // For a plain <script type="module"> from any static host: one minified file, lit and
  // eventsource-parser inlined.
  {
    input: 'src/chat-stream.ts',
    external: (id) => LOCALE.test(id),
    output: {file: 'dist/chat-stream.bundle.js', format: 'es', sourcemap: true, paths: (id) => `./locales/${LOCALE.exec(id)?.[1]}.js`},
    plugins: [
      nodeResolve(),
      minifyCss(),
      typescript({tsconfig: './tsconfig.json', outDir: 'dist', declaration: false, declarationMap: false}),
      terser({ecma: 2020, module: true, compress: {passes: 3, unsafe_arrows: true, unsafe_methods: true}, format: {comments: false}}),
    ],
  },
];
