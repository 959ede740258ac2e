import {esbuildPlugin} from '@web/dev-server-esbuild';
import {chromeLauncher} from '@web/test-runner-chrome';
import {scenarioMiddleware} from './test/fixtures/server.js';
import {aiSdkMiddleware} from './test/fixtures/ai-sdk-server.js';
import {exampleChatMiddleware, examplesPlugin} from './test/fixtures/examples.js';

export default {
  // Node-only tests (node:test) live in test/node and test/e2e.
  files: ['test/**/*.test.{js,ts}', '!test/node/**', '!test/e2e/**'],
  nodeResolve: true,
  // Decorators and class fields must be lowered for Chromium: 'auto-always' does that.
  // The framework examples' entries are bundled first, as their apps' bundlers would (examples.test.js).
  plugins: [examplesPlugin, esbuildPlugin({ts: true, target: 'auto-always'})],
  middleware: [scenarioMiddleware, aiSdkMiddleware, exampleChatMiddleware],
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
        headless: true,
        args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
      },
    }),
  ],
  testFramework: {config: {timeout: 30000}},
  testsFinishTimeout: 300000,
};
