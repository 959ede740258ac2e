// docs/element.md's reference tables are written from the Custom Elements Manifest (built by
// `npm test` first) by docs/element-tables.mjs: the page must hold what the element's JSDoc says
// now, so a changed attribute, event or part cannot leave the page behind, and every entry the
// manifest lists must say what it is.
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {test} from 'node:test';
import {PAGE, readElement, renderTables, undescribed, withTables} from '../../docs/element-tables.mjs';

const element = readElement();

test("docs/element.md's tables are the ones the manifest gives (`npm run docs` rewrites them)", () => {
  const page = readFileSync(PAGE, 'utf8');

  assert.equal(page, withTables(page, renderTables(element)));
});

test('every attribute, property, method, event, slot, part and custom property has a description', () => {
  assert.deepEqual(undescribed(element), []);
});

test('a table the manifest changed shows as a difference', () => {
  const page = readFileSync(PAGE, 'utf8');
  const changed = {...element, slots: element.slots.map((slot) => ({...slot, description: `${slot.description} (changed)`}))};

  assert.notEqual(page, withTables(page, renderTables(changed)));
});

test('an entry without a description is named', () => {
  const changed = {...element, cssParts: [...element.cssParts, {name: 'new-part'}]};

  assert.deepEqual(undescribed(changed), ['part new-part']);
});
