import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { parseTree, findNodeAtLocation } from 'jsonc-parser';
import { locatePaths, pathKey } from '../../core/schema/locate';

const text = JSON.stringify(
  { a: { 'k"e\\y': [1, { b: 'x"]}' }, [3, [4]]], c: null, é: true }, z: -1.5e3, d: { d: 1 } },
  null,
  2,
).replace('"z"', '"z" ');

test('locates values and keys exactly where jsonc-parser finds them, skipping the rest', () => {
  const tree = parseTree(text)!;
  const paths = [
    ['a'],
    ['a', 'k"e\\y', 1, 'b'],
    ['a', 'k"e\\y', 2, 1, 0],
    ['a', 'c'],
    ['a', 'é'],
    ['z'],
    ['d', 'd'],
    ['a', 'k"e\\y'],
  ];
  const found = locatePaths(text, paths);
  for (const p of paths) {
    const node = findNodeAtLocation(tree, p)!;
    const got = found.get(pathKey(p))!;
    assert.deepEqual(got.value, { offset: node.offset, length: node.length }, JSON.stringify(p));
    if (typeof p[p.length - 1] === 'string') {
      const k = node.parent!.children![0];
      assert.deepEqual(got.key, { offset: k.offset, length: k.length }, JSON.stringify(p));
    }
  }
});

test('paths that do not exist are simply absent', () => {
  const found = locatePaths(text, [['nope'], ['a', 'c', 'x'], ['a', 'k"e\\y', 9]]);
  assert.equal(found.size, 0);
});

test('deep nesting off the wanted path is skipped without recursion', () => {
  const deep = '{"x": ' + '['.repeat(200_000) + ']'.repeat(200_000) + ', "y": 1}';
  assert.deepEqual(locatePaths(deep, [['y']]).get(pathKey(['y']))?.value, { offset: deep.length - 2, length: 1 });
});
