// textDocument/documentLink: the operation key links to its JSON Schema file.
import type { DocumentLink, DocumentLinkParams, TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { documentLinks } from '../../../core/engine';
import { toRange } from '../convert';
import type { DocumentCache } from '../documentCache';
import { schemaUri } from './schemaFiles';

export function links(
  params: DocumentLinkParams,
  documents: TextDocuments<TextDocument>,
  cache: DocumentCache,
): DocumentLink[] {
  const doc = documents.get(params.textDocument.uri);
  if (!doc) return [];
  return documentLinks(cache.get(doc)).flatMap((link) => {
    const target = schemaUri(link.schemaFile);
    return target ? [{ range: toRange(doc, link), target, tooltip: link.tooltip }] : [];
  });
}
