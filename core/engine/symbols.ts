// Outline: the operation, then its fields (nested objects and arrays as children).
import type { Node } from 'jsonc-parser';
import { operationForKey, secretFields } from '../data/catalog';
import type { VipDocument } from '../schema/document';
import type { Span } from './types';

export type SymbolKindName = 'operation' | 'object' | 'array' | 'string' | 'number' | 'boolean' | 'null';

export interface OutlineSymbol {
  name: string;
  detail?: string;
  kind: SymbolKindName;
  /** The whole property (key and value). */
  range: Span;
  /** The key (or the item, inside arrays). */
  selection: Span;
  children: OutlineSymbol[];
}

const SECRET = new Set(secretFields);
/** Outlines are for reading: very large documents are cut off rather than slowing the editor. */
const MAX_SYMBOLS = 5000;

export function documentSymbols(doc: VipDocument): OutlineSymbol[] {
  const tree = doc.tree;
  if (tree?.type !== 'object') return [];
  const budget = { left: MAX_SYMBOLS };
  return (tree.children ?? []).flatMap((property) => {
    const symbol = propertySymbol(property, budget, 0);
    if (!symbol) return [];
    const found = operationForKey(symbol.name);
    symbol.kind = 'operation';
    symbol.detail = found ? `${found.operation.name} ${found.kind}` : 'unknown operation';
    return [symbol];
  });
}

function propertySymbol(property: Node, budget: { left: number }, depth: number): OutlineSymbol | undefined {
  const [key, value] = property.children ?? [];
  if (!key || budget.left-- <= 0) return undefined;
  const name = String(key.value);
  return {
    name,
    kind: value ? kindOf(value) : 'null',
    detail: value ? detailOf(value, SECRET.has(name)) : undefined,
    range: { offset: property.offset, length: property.length },
    selection: { offset: key.offset, length: key.length },
    children: value ? childrenOf(value, budget, depth + 1) : [],
  };
}

function childrenOf(node: Node, budget: { left: number }, depth: number): OutlineSymbol[] {
  if (depth > 32) return [];
  if (node.type === 'object') return (node.children ?? []).flatMap((p) => propertySymbol(p, budget, depth) ?? []);
  if (node.type !== 'array') return [];
  const out: OutlineSymbol[] = [];
  (node.children ?? []).forEach((item, i) => {
    if (budget.left-- <= 0) return;
    const span = { offset: item.offset, length: item.length };
    out.push({
      name: `[${i}]`,
      kind: kindOf(item),
      detail: detailOf(item, false),
      range: span,
      selection: span,
      children: childrenOf(item, budget, depth + 1),
    });
  });
  return out;
}

function kindOf(node: Node): SymbolKindName {
  return node.type === 'property' ? 'object' : node.type;
}

function detailOf(node: Node, secret: boolean): string | undefined {
  if (node.type === 'object' || node.type === 'array') return undefined;
  if (secret && node.value !== '') return '••••••';
  const text = JSON.stringify(node.value) ?? '';
  return text.length > 60 ? text.slice(0, 59) + '…' : text;
}
