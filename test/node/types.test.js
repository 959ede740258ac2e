// A TypeScript consumer of the built package (test/types): the element's events and properties,
// and <chat-stream> in React 19's TSX, type-check, and each wrong use under `@ts-expect-error`
// is refused (an unneeded directive is an error too). `npm test` builds dist/ first.
import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import {dirname, join} from 'node:path';
import {test} from 'node:test';
import {fileURLToPath} from 'node:url';
import {promisify} from 'node:util';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

test('a TypeScript and React consumer of the package type-checks, and its wrong uses do not', async () => {
  const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

  const errors = await promisify(execFile)(process.execPath, [tsc, '--noEmit', '-p', join(ROOT, 'test', 'types')], {cwd: ROOT}).then(
    () => '',
    (error) => error.stdout || error.message,
  );

  assert.strictEqual(errors, '');
});
