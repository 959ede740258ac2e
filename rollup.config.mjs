import {nodeResolve} from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import typescript from '@rollup/plugin-typescript';

const input = {'chat-stream': 'src/chat-stream.ts', 'core/index': 'src/core/index.ts'};

export default [
  // For bundlers and Node: one file per module, dependencies external, with types.
  {
    input,
    external: (id) => id === 'lit' || id.startsWith('lit/') || id === 'eventsource-parser',
    output: {dir: 'dist', format: 'es', preserveModules: true, preserveModulesRoot: 'src', sourcemap: true},
    plugins: [typescript({tsconfig: './tsconfig.json', outDir: 'dist', declarationDir: 'dist'})],
  },
  // For a plain <script type="module"> from any static host: one minified file, lit and
  // eventsource-parser inlined.
  {
    input: 'src/chat-stream.ts',
    output: {file: 'dist/chat-stream.bundle.js', format: 'es', sourcemap: true},
    plugins: [
      nodeResolve(),
      typescript({tsconfig: './tsconfig.json', outDir: 'dist', declaration: false, declarationMap: false}),
      terser({ecma: 2020, module: true, format: {comments: false}}),
    ],
  },
];
