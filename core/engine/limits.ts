// Bounds every feature keeps on documents that are not what a person writes (deep nesting,
// megabytes on one line), so that no request can exhaust the server. VIP documents are a handful of
// levels deep.

/** Deepest nesting formatted, and most selection ranges answered for one position. */
export const MAX_NESTING = 128;

/** Largest request file a flow's checks read from disk (a VIP request is a few hundred bytes). */
export const MAX_REQUEST_FILE_BYTES = 1024 * 1024;
