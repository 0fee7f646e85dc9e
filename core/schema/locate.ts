// Finds the text spans of a few JSON paths in one pass over strict JSON, descending only where a
// wanted path leads and skipping every other value at character speed. Validation of a clean
// document needs no positions at all; a document with errors needs only these.
import type { JsonPath, Span } from './findings';

export interface Located {
  value: Span;
  /** The property key, when the value is an object member. */
  key?: Span;
}

interface Trie {
  end: boolean;
  children: Map<string | number, Trie>;
}

export const pathKey = (path: JsonPath): string => JSON.stringify(path);

const WS = new Uint8Array(128);
for (const c of ' \t\n\r') WS[c.charCodeAt(0)] = 1;

/** Spans of `paths` in `text`, which must be valid JSON (JSON.parse accepted it). */
export function locatePaths(text: string, paths: JsonPath[]): Map<string, Located> {
  const root: Trie = { end: false, children: new Map() };
  for (const p of paths) {
    let t = root;
    for (const seg of p) {
      let next = t.children.get(seg);
      if (!next) t.children.set(seg, (next = { end: false, children: new Map() }));
      t = next;
    }
    t.end = true;
  }
  const found = new Map<string, Located>();
  const n = text.length;
  let i = 0;

  const ws = () => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c < 128 && WS[c]) i++;
      else break;
    }
  };
  /** i at an opening quote → i after the closing quote. */
  const skipString = () => {
    i++;
    for (;;) {
      const q = text.indexOf('"', i);
      if (q < 0) {
        i = n;
        return;
      }
      let backslashes = 0;
      for (let k = q - 1; text.charCodeAt(k) === 92; k--) backslashes++;
      i = q + 1;
      if (backslashes % 2 === 0) return;
    }
  };
  /** Skips one value of any kind, iteratively (no recursion, whatever the nesting). */
  const skipValue = () => {
    const c = text.charCodeAt(i);
    if (c === 34) return skipString();
    if (c !== 123 && c !== 91) {
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d === 44 || d === 125 || d === 93 || (d < 128 && WS[d])) break;
        i++;
      }
      return;
    }
    let depth = 0;
    while (i < n) {
      const d = text.charCodeAt(i);
      if (d === 34) {
        skipString();
        continue;
      }
      if (d === 123 || d === 91) depth++;
      else if (d === 125 || d === 93) {
        depth--;
        if (depth === 0) {
          i++;
          return;
        }
      }
      i++;
    }
  };
  const readKey = (): { name: string; span: Span } => {
    const start = i;
    skipString();
    const raw = text.slice(start + 1, i - 1);
    return { name: raw.includes('\\') ? (JSON.parse(text.slice(start, i)) as string) : raw, span: { offset: start, length: i - start } };
  };
  const walk = (trie: Trie, path: JsonPath, key?: Span) => {
    ws();
    const start = i;
    const c = text.charCodeAt(i);
    if (c === 123 && trie.children.size) {
      i++;
      ws();
      while (i < n && text.charCodeAt(i) !== 125) {
        const k = readKey();
        ws();
        i++; // colon
        const child = trie.children.get(k.name);
        if (child) walk(child, [...path, k.name], k.span);
        else {
          ws();
          skipValue();
        }
        ws();
        if (text.charCodeAt(i) === 44) i++;
        ws();
      }
      i++;
    } else if (c === 91 && trie.children.size) {
      i++;
      ws();
      for (let index = 0; i < n && text.charCodeAt(i) !== 93; index++) {
        const child = trie.children.get(index);
        if (child) walk(child, [...path, index]);
        else skipValue();
        ws();
        if (text.charCodeAt(i) === 44) i++;
        ws();
      }
      i++;
    } else {
      skipValue();
    }
    if (trie.end) found.set(pathKey(path), { value: { offset: start, length: i - start }, key });
  };
  walk(root, []);
  return found;
}
