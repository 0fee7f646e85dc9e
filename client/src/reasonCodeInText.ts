// Finding VIP reason codes in a pasted log line (pure: no vscode, for `VIP: Explain reason code
// from log line…`). Whether a code is in the catalog is for the explanation to say.

/** A code labelled as one: `ReasonCode: 4e04`, `reasonCode=4E04`, `<ReasonCode>4E04</ReasonCode>`, `status 4e04`. */
const LABELLED = /(?:reason\s*code|status(?:\s*code)?)["'\s]*[:=>]?\s*["']?([0-9a-f]{4})(?![0-9a-z])/gi;
/** Four hex digits standing alone: not part of a date, a time, a version or a longer id. */
const ALONE = /(?<![0-9a-z\-:./])([0-9a-f]{4})(?![0-9a-z\-:./])/gi;

/** The reason codes in `text`, lower case, first seen first: the labelled ones if any, else every four-hex-digit word. */
export function reasonCodesInText(text: string): string[] {
  const unique = (matches: IterableIterator<RegExpMatchArray>) => [
    ...new Set([...matches].map((m) => m[1].toLowerCase())),
  ];
  const labelled = unique(text.matchAll(LABELLED));
  return labelled.length > 0 ? labelled : unique(text.matchAll(ALONE));
}
