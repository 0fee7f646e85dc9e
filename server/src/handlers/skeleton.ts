// Custom requests for the client: the operation list and skeletons for `VIP: New request…`, and
// which operation and schema apply to a document (the language status item).
import type { TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { getOperation, operations, schemaFile, type DocumentKind } from '../../../core/data/catalog';
import { operationSkeleton, operationSnippet } from '../../../core/engine';
import type { DocumentCache } from '../documentCache';
import type { SettingsStore } from '../settings';
import { schemaUri } from './schemaFiles';

import type { DocumentInfo, DocumentInfoParams, OperationEntry, SkeletonParams, SkeletonResult } from '../protocol';

/** Common operations first, then catalog order. */
export function operationList(): OperationEntry[] {
  const entries = operations.map((op) => ({ name: op.name, summary: op.summary, common: op.common }));
  return [...entries.filter((e) => e.common), ...entries.filter((e) => !e.common)];
}

export async function skeleton(params: SkeletonParams, settings: SettingsStore): Promise<SkeletonResult | null> {
  const kind: DocumentKind = params?.kind === 'response' ? 'response' : 'request';
  if (typeof params?.operation !== 'string' || !getOperation(params.operation)) return null;
  const { supportedVersions } = await settings.get();
  const ctx = { now: new Date(), supportedVersions };
  return {
    snippet: operationSnippet(params.operation, kind, ctx, { wholeDocument: true }),
    text: operationSkeleton(params.operation, kind, ctx),
  };
}

export function documentInfo(
  params: DocumentInfoParams,
  documents: TextDocuments<TextDocument>,
  cache: DocumentCache,
): DocumentInfo | null {
  const doc = typeof params?.uri === 'string' ? documents.get(params.uri) : undefined;
  if (!doc) return null;
  const { key, operation, kind } = cache.get(doc).root;
  if (!operation || !kind) return { key };
  const file = schemaFile(operation.name, kind);
  return {
    key,
    operation: operation.name,
    kind,
    summary: operation.summary,
    schemaFile: file,
    schemaUri: schemaUri(file),
  };
}
