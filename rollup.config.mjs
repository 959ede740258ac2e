import typescript from '@rollup/plugin-typescript';

/** The ES module build for Node and bundlers: one file per module, dependencies external, with types. */
export default {
  input: {'core/index': 'src/core/index.ts'},
  external: ['eventsource-parser'],
  output: {dir: 'dist', format: 'es', preserveModules: true, preserveModulesRoot: 'src', sourcemap: true},
  plugins: [typescript({tsconfig: './tsconfig.json', outDir: 'dist', declarationDir: 'dist'})],
};
