// The flow features of the language server, one way in: the check of a flow's text (diagnostics,
// quick fixes inside inline requests), hover and completion.
export { checkFlowText, MAX_FLOW_LENGTH, type FlowCheck, type FlowFinding } from './checkText';
export type { InlineRequest } from './checkInline';
export { flowHoverAt, requestAt } from './assist';
export { flowCompletionsAt } from './assistCompletion';
