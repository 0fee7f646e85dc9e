// The custom requests between the extension and the language server, typed once for both sides.
import { RequestType, RequestType0 } from 'vscode-languageserver-protocol';
import type { DocumentKind } from '../../core/data/catalog';

export interface OperationEntry {
  name: string;
  summary: string;
  common: boolean;
}

export interface SkeletonParams {
  operation: string;
  kind?: DocumentKind;
}

export interface SkeletonResult {
  /** Snippet syntax: the required fields as tab stops. */
  snippet: string;
  /** The same document with placeholder values. */
  text: string;
}

export interface DocumentInfoParams {
  uri: string;
}

export interface DocumentInfo {
  /** The top-level key, when there is exactly one. */
  key?: string;
  operation?: string;
  kind?: DocumentKind;
  summary?: string;
  /** Relative to schemas/. */
  schemaFile?: string;
  schemaUri?: string;
}

/** The operations for `VIP: New request…`, common ones first. */
export namespace OperationsRequest {
  export const type = new RequestType0<OperationEntry[], void>('vip/operations');
}

/** A new document's skeleton for an operation, as a snippet and as plain text. */
export namespace SkeletonRequest {
  export const type = new RequestType<SkeletonParams, SkeletonResult | null, void>('vip/skeleton');
}

/** Which operation and schema apply to an open document (the language status item). */
export namespace DocumentInfoRequest {
  export const type = new RequestType<DocumentInfoParams, DocumentInfo | null, void>('vip/documentInfo');
}
