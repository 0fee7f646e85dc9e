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
  const scanner = new PathScanner(text);
  scanner.walk(pathTrie(paths), []);
  return scanner.found;
}

/** The wanted paths as a trie: the walk descends only along its branches. */
function pathTrie(paths: JsonPath[]): Trie {
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
  return root;
}

/** One pass over the text, `i` the position; each method leaves `i` after what it read. */
class PathScanner {
  readonly found = new Map<string, Located>();
  private i = 0;
  private readonly n: number;

  constructor(private readonly text: string) {
    this.n = text.length;
  }

  /** Records the span of the value at `i` if `trie` ends here, descending into it where `trie` leads. */
  walk(trie: Trie, path: JsonPath, key?: Span): void {
    this.ws();
    const start = this.i;
    const c = this.text.charCodeAt(this.i);
    if (c === 123 && trie.children.size) this.walkObject(trie, path);
    else if (c === 91 && trie.children.size) this.walkArray(trie, path);
    else this.skipValue();
    if (trie.end) this.found.set(pathKey(path), { value: { offset: start, length: this.i - start }, key });
  }

  private walkObject(trie: Trie, path: JsonPath): void {
    const text = this.text;
    this.i++;
    this.ws();
    while (this.i < this.n && text.charCodeAt(this.i) !== 125) {
      const k = this.readKey();
      this.ws();
      this.i++; // colon
      const child = trie.children.get(k.name);
      if (child) this.walk(child, [...path, k.name], k.span);
      else {
        this.ws();
        this.skipValue();
      }
      this.afterMember();
    }
    this.i++;
  }

  private walkArray(trie: Trie, path: JsonPath): void {
    this.i++;
    this.ws();
    for (let index = 0; this.i < this.n && this.text.charCodeAt(this.i) !== 93; index++) {
      const child = trie.children.get(index);
      if (child) this.walk(child, [...path, index]);
      else this.skipValue();
      this.afterMember();
    }
    this.i++;
  }

  /** Past the white space and the comma after a member or an item. */
  private afterMember(): void {
    this.ws();
    if (this.text.charCodeAt(this.i) === 44) this.i++;
    this.ws();
  }

  private ws(): void {
    while (this.i < this.n) {
      const c = this.text.charCodeAt(this.i);
      if (c < 128 && WS[c]) this.i++;
      else break;
    }
  }

  /** i at an opening quote → i after the closing quote. */
  private skipString(): void {
    const text = this.text;
    this.i++;
    for (;;) {
      const q = text.indexOf('"', this.i);
      if (q < 0) {
        this.i = this.n;
        return;
      }
      let backslashes = 0;
      for (let k = q - 1; text.charCodeAt(k) === 92; k--) backslashes++;
      this.i = q + 1;
      if (backslashes % 2 === 0) return;
    }
  }

  /** Skips one value of any kind, iteratively (no recursion, whatever the nesting). */
  private skipValue(): void {
    const c = this.text.charCodeAt(this.i);
    if (c === 34) return this.skipString();
    if (c !== 123 && c !== 91) return this.skipScalar();
    let depth = 0;
    while (this.i < this.n) {
      const d = this.text.charCodeAt(this.i);
      if (d === 34) {
        this.skipString();
        continue;
      }
      if (d === 123 || d === 91) depth++;
      else if (d === 125 || d === 93) {
        depth--;
        if (depth === 0) {
          this.i++;
          return;
        }
      }
      this.i++;
    }
  }

  /** A number, true, false or null: up to the next comma, closing bracket or white space. */
  private skipScalar(): void {
    while (this.i < this.n) {
      const d = this.text.charCodeAt(this.i);
      if (d === 44 || d === 125 || d === 93 || (d < 128 && WS[d])) break;
      this.i++;
    }
  }

  private readKey(): { name: string; span: Span } {
    const start = this.i;
    this.skipString();
    const raw = this.text.slice(start + 1, this.i - 1);
    return {
      name: raw.includes('\\') ? (JSON.parse(this.text.slice(start, this.i)) as string) : raw,
      span: { offset: start, length: this.i - start },
    };
  }
}
