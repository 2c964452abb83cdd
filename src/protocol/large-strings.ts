// Finds the long string values in a reply line without parsing it, so that a caller can
// take file data (guest-file-read's "buf-b64", megabytes of base64) straight from the
// received bytes instead of having the whole line made into a string, parsed, and the
// value made into a string again: three copies of every chunk for the garbage collector.
//
// Strings are found by their quotes (a quote preceded by an odd number of backslashes is
// escaped). Only a member's value qualifies (it has a key: `"key": "..."`), and only when
// it holds no backslash at all, so that its bytes are its characters.
export interface LargeString {
  /** The member's key. */
  key: string;
  /** The value's bytes, between the quotes. */
  start: number;
  end: number;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;

function isSpace(b: number | undefined): boolean {
  return b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d;
}

/** The quote that closes the string opened at `open`, or -1. */
function closingQuote(bytes: Buffer, open: number): number {
  for (let at = bytes.indexOf(QUOTE, open + 1); at !== -1; at = bytes.indexOf(QUOTE, at + 1)) {
    let backslashes = 0;
    for (let k = at - 1; k > open && bytes[k] === BACKSLASH; k--) backslashes++;
    if (backslashes % 2 === 0) return at;
  }
  return -1;
}

/** Member values longer than `minBytes`, in order; empty when the line is not well formed. */
export function findLargeStrings(bytes: Buffer, minBytes: number): LargeString[] {
  const found: LargeString[] = [];
  let previousClose = -1;
  let previousOpen = -1;
  for (let open = bytes.indexOf(QUOTE); open !== -1; open = bytes.indexOf(QUOTE, previousClose + 1)) {
    const close = closingQuote(bytes, open);
    if (close === -1) return [];
    if (close - open - 1 > minBytes && bytes.subarray(open + 1, close).indexOf(BACKSLASH) === -1) {
      // A value when the string before it, its key, is followed by a colon.
      let i = open - 1;
      while (isSpace(bytes[i])) i--;
      if (bytes[i] === COLON && previousClose !== -1) {
        i--;
        while (isSpace(bytes[i])) i--;
        if (i === previousClose) found.push({ key: bytes.toString('utf8', previousOpen + 1, previousClose), start: open + 1, end: close });
      }
    }
    previousOpen = open;
    previousClose = close;
  }
  return found;
}
