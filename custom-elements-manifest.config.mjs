// The Custom Elements Manifest (dist/custom-elements.json, package.json `customElements`) that
// editors, Storybook and framework wrappers read: written by `npm run build` from the element's
// JSDoc (`@fires`, `@csspart`, `@cssprop`, `@slot`) and its Lit `properties`.
export default {
  globs: ['src/chat-stream-element.ts'],
  outdir: 'dist',
  litelement: true,
  // package.json names the manifest itself: the analyzer would rewrite the file on each build.
  packagejson: false,
  quiet: true,
};
