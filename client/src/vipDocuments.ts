// Which documents are VIP documents, for every part of the extension (all three bundles).

export const LANGUAGE_ID = 'vip-json';

/**
 * Files and untitled editors of the language. A scheme is required: without one, editors such as
 * the chat input would get diagnostics and CodeLenses too.
 */
export const VIP_DOCUMENTS = [
  { language: LANGUAGE_ID, scheme: 'file' },
  { language: LANGUAGE_ID, scheme: 'untitled' },
];

/** Flow files (`*.vipflow.json`): checked by the language server, never sent as one request. */
export const FLOW_LANGUAGE_ID = 'vip-flow';

export const FLOW_DOCUMENTS = [
  { language: FLOW_LANGUAGE_ID, scheme: 'file' },
  { language: FLOW_LANGUAGE_ID, scheme: 'untitled' },
];
