// Registration of the editing features (completion, quick fixes, outline, formatting, links,
// skeleton requests) on the connection, and the capabilities they announce.
import {
  CodeActionKind,
  type ClientCapabilities,
  type Connection,
  type ServerCapabilities,
  type TextDocuments,
} from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { DocumentCache } from '../documentCache';
import type { SettingsStore } from '../settings';
import { codeActions } from './codeActions';
import { completion } from './completion';
import { formatting } from './format';
import { links } from './links';
import { folding, selectionRanges, symbols } from './outline';
import { DocumentInfoRequest, OperationsRequest, SkeletonRequest } from '../protocol';
import { documentInfo, operationList, skeleton } from './skeleton';

export const editingCapabilities: ServerCapabilities = {
  // `{`: a flow's `${` (answered in flow documents only, see completion.ts).
  completionProvider: { triggerCharacters: ['"', ':', '{'] },
  codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
  documentSymbolProvider: true,
  foldingRangeProvider: true,
  selectionRangeProvider: true,
  documentFormattingProvider: true,
  documentRangeFormattingProvider: true,
  documentLinkProvider: { resolveProvider: false },
};

/** Wraps a handler so that an exception is logged, not fatal (server.ts). */
export type Guard = <P extends unknown[], R>(
  name: string,
  fallback: R,
  fn: (...args: P) => R | Promise<R>,
) => (...args: P) => Promise<R>;

export function registerEditingHandlers(
  connection: Connection,
  documents: TextDocuments<TextDocument>,
  cache: DocumentCache,
  settings: SettingsStore,
  safe: Guard,
  clientCapabilities: () => ClientCapabilities | undefined,
): void {
  const snippetSupport = () => clientCapabilities()?.textDocument?.completion?.completionItem?.snippetSupport === true;
  connection.onCompletion(
    safe('completion', null, (params) => completion(params, documents, cache, settings, snippetSupport())),
  );
  connection.onCodeAction(safe('codeAction', [], (params) => codeActions(params, documents, cache, settings)));
  connection.onDocumentSymbol(safe('documentSymbol', [], (params) => symbols(params, documents, cache)));
  connection.onFoldingRanges(safe('foldingRange', [], (params) => folding(params, documents, cache)));
  connection.onSelectionRanges(safe('selectionRange', [], (params) => selectionRanges(params, documents, cache)));
  connection.onDocumentFormatting(safe('formatting', [], (params) => formatting(params, documents, connection)));
  connection.onDocumentRangeFormatting(
    safe('rangeFormatting', [], (params) => formatting(params, documents, connection)),
  );
  connection.onDocumentLinks(safe('documentLink', [], (params) => links(params, documents, cache)));
  connection.onRequest(
    OperationsRequest.type,
    safe('operations', [], () => operationList()),
  );
  connection.onRequest(
    SkeletonRequest.type,
    safe('skeleton', null, (params) => skeleton(params, settings)),
  );
  connection.onRequest(
    DocumentInfoRequest.type,
    safe('documentInfo', null, (params) => documentInfo(params, documents, cache)),
  );
}
