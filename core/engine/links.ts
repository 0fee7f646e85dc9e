// Document links: the operation key opens the JSON Schema that validates the document.
import { operationForKey, schemaFile } from '../data/catalog';
import type { VipDocument } from '../schema/document';
import type { Span } from './types';

export interface SchemaLink extends Span {
  /** Path of the schema relative to schemas/. */
  schemaFile: string;
  tooltip: string;
}

export function documentLinks(doc: VipDocument): SchemaLink[] {
  const tree = doc.tree;
  if (tree?.type !== 'object') return [];
  const links: SchemaLink[] = [];
  for (const property of tree.children ?? []) {
    const key = property.children?.[0];
    const found = key && typeof key.value === 'string' ? operationForKey(key.value) : undefined;
    if (!key || !found || key.length < 2) continue;
    const file = schemaFile(found.operation.name, found.kind);
    // Inside the quotes, so a click on the name opens the schema.
    links.push({
      offset: key.offset + 1,
      length: key.length - 2,
      schemaFile: file,
      tooltip: `Open the ${found.operation.name} ${found.kind} schema (schemas/${file})`,
    });
  }
  return links;
}
