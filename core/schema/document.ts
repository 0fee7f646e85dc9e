// A parsed VIP document: the JSON value for fast checks, and a position tree built only on demand.
import {
  findNodeAtLocation,
  findNodeAtOffset,
  parse as parseTolerant,
  parseTree,
  printParseErrorCode,
} from 'jsonc-parser';
import type { Node, ParseError } from 'jsonc-parser';
import { operationForKey, type DocumentKind, type OperationInfo } from '../data/catalog';
import { locatePaths, pathKey, type Located } from './locate';
import type { JsonPath, Span } from './findings';

const PARSE_OPTIONS = { allowTrailingComma: true, disallowComments: false, allowEmptyContent: true };

export interface SyntaxProblem extends Span {
  message: string;
}

export interface DocumentRoot {
  /** The single top-level key, e.g. `ActivateTokenRequest`, when the root is an object. */
  key?: string;
  operation?: OperationInfo;
  kind?: DocumentKind;
  /** The operation object (value of the top-level key). */
  body?: unknown;
}

export class VipDocument {
  readonly text: string;
  readonly value: unknown;
  readonly syntaxErrors: SyntaxProblem[] = [];
  /** True when the text is plain JSON (no comments, no trailing commas, no errors). */
  readonly strictJson: boolean;
  private treeState: Node | null | undefined;

  constructor(text: string) {
    // A BOM is not JSON; blank it out so offsets stay those of the editor's text.
    this.text = text.charCodeAt(0) === 0xfeff ? ' ' + text.slice(1) : text;
    let value: unknown;
    let strict = false;
    try {
      value = JSON.parse(this.text);
      strict = true;
    } catch {
      const errors: ParseError[] = [];
      try {
        value = parseTolerant(this.text, errors, PARSE_OPTIONS);
      } catch (e) {
        // jsonc-parser recurses per nesting level; absurd depth overflows the stack.
        value = undefined;
        this.syntaxErrors.push({
          offset: 0,
          length: Math.min(1, this.text.length),
          message: `The document could not be analysed: ${describeError(e)}`,
        });
      }
      for (const err of errors) {
        // jsonc-parser may count one character past the end (e.g. an unterminated comment).
        const offset = Math.min(err.offset, this.text.length);
        this.syntaxErrors.push({
          offset,
          length: Math.min(err.length, this.text.length - offset),
          message: syntaxMessage(err),
        });
      }
    }
    this.value = value;
    this.strictJson = strict;
  }

  /** The position tree (jsonc-parser), built on first use; undefined if it cannot be built. */
  get tree(): Node | undefined {
    if (this.treeState === undefined) {
      try {
        this.treeState = parseTree(this.text, undefined, PARSE_OPTIONS) ?? null;
      } catch {
        this.treeState = null;
      }
    }
    return this.treeState ?? undefined;
  }

  private rootState?: DocumentRoot;

  get root(): DocumentRoot {
    if (!this.rootState) {
      const root: DocumentRoot = {};
      if (isPlainObject(this.value)) {
        const keys = Object.keys(this.value);
        if (keys.length === 1) {
          root.key = keys[0];
          root.body = this.value[keys[0]];
          const found = operationForKey(keys[0]);
          if (found) {
            root.operation = found.operation;
            root.kind = found.kind;
          }
        }
      }
      this.rootState = root;
    }
    return this.rootState;
  }

  nodeAt(path: JsonPath): Node | undefined {
    const tree = this.tree;
    return tree ? findNodeAtLocation(tree, path) : undefined;
  }

  nodeAtOffset(offset: number): Node | undefined {
    const tree = this.tree;
    return tree ? findNodeAtOffset(tree, offset, true) : undefined;
  }

  /** The span of the value at `path`, or of its property key with `key: true`. */
  spanOf(path: JsonPath, key = false): Span | undefined {
    const node = this.nodeAt(path);
    if (!node) return undefined;
    if (key && node.parent?.type === 'property' && node.parent.children?.[0]) {
      const k = node.parent.children[0];
      return { offset: k.offset, length: k.length };
    }
    return { offset: node.offset, length: node.length };
  }

  /**
   * Spans of many paths at once. Strict JSON is scanned once, descending only along the wanted
   * paths (no tree); JSONC with comments or errors uses the tolerant tree.
   */
  locateAll(paths: JsonPath[]): Map<string, Located> {
    if (paths.length === 0) return new Map();
    if (this.strictJson && !this.treeState) {
      try {
        return locatePaths(this.text, paths);
      } catch {
        // fall through to the tree
      }
    }
    const out = new Map<string, Located>();
    for (const path of paths) {
      const node = this.nodeAt(path);
      if (!node) continue;
      const keyNode = node.parent?.type === 'property' ? node.parent.children?.[0] : undefined;
      out.set(pathKey(path), {
        value: { offset: node.offset, length: node.length },
        key: keyNode ? { offset: keyNode.offset, length: keyNode.length } : undefined,
      });
    }
    return out;
  }

  /** A span that points at the document start without covering the whole document. */
  startSpan(): Span {
    const m = /\S/.exec(this.text);
    return { offset: m ? m.index : 0, length: m ? 1 : 0 };
  }
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function syntaxMessage(err: ParseError): string {
  const text: Record<string, string> = {
    InvalidSymbol: 'Invalid character',
    InvalidNumberFormat: 'Invalid number',
    PropertyNameExpected: 'Property name expected',
    ValueExpected: 'Value expected',
    ColonExpected: 'Colon expected',
    CommaExpected: 'Comma expected',
    CloseBraceExpected: 'Closing brace `}` expected',
    CloseBracketExpected: 'Closing bracket `]` expected',
    EndOfFileExpected: 'End of file expected: a VIP document is one JSON object',
    InvalidCommentToken: 'Invalid comment',
    UnexpectedEndOfComment: 'Unterminated comment',
    UnexpectedEndOfString: 'Unterminated string',
    UnexpectedEndOfNumber: 'Unterminated number',
    InvalidUnicode: 'Invalid Unicode escape',
    InvalidEscapeCharacter: 'Invalid escape character in string',
    InvalidCharacter: 'Invalid control character in string: escape it',
  };
  const name = printParseErrorCode(err.error);
  return `Syntax error: ${text[name] ?? name}.`;
}

function describeError(e: unknown): string {
  if (e instanceof RangeError) return 'it is nested too deeply.';
  return e instanceof Error ? e.message : String(e);
}
