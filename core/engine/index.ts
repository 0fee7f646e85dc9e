// The language engine: pure functions over document text. No `vscode`, no LSP connection.
export { VipDocument } from './document';
export { analyze, defaultSettings } from './validate';
export { hoverAt, reasonCodeHover, reasonCodeMarkdown, operationHover, type HoverResult } from './hover';
export type { EngineSettings, Finding, FindingData, Issue, JsonPath, RuleId, Severity, Span } from './types';
export { isRuleId, RULE_IDS } from '../schema/findings';
export { completionsAt, type CompletionProposal } from './completion';
export { quickFixes, type FixableFinding, type QuickFix } from './codeActions';
export { operationSkeleton, operationSnippet, snippetToText } from './skeleton';
export { documentSymbols, type OutlineSymbol } from './symbols';
export { formatEdits } from './format';
