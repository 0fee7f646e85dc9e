// The language engine: pure functions over document text, no `vscode`, no LSP connection. This is
// its one way in (as vscode-json-languageservice's getLanguageService): the server, the CLI and
// the tests of the features import from here, never from the files behind it.
export { VipDocument } from '../schema/document';
export { isRuleId, RULE_IDS } from '../schema/findings';
export type { EngineContext, Finding, FindingData, Issue, JsonPath, RuleId, Severity, Span } from './types';
export { analyze } from './validate';
export { fieldHoverMarkdown, hoverAt, reasonCodeHover, type HoverResult } from './hover';
export { completionsAt, type CompletionKind, type CompletionProposal } from './completion';
export { quickFixes, type FixableFinding, type QuickFix } from './codeActions';
export { operationSkeleton, operationSnippet, snippetToText } from './skeleton';
export { documentSymbols, type OutlineSymbol, type SymbolKindName } from './symbols';
export { foldingRegions, type FoldingRegion } from './folding';
export { selectionSpans } from './selectionRanges';
export { documentLinks, type SchemaLink } from './links';
export { formatEdits, type FormatOptions, type FormatResult } from './format';
export { MAX_NESTING } from './limits';
export { lineAt, lineStarts } from './lines';
export { topLevelKey } from './topKey';
