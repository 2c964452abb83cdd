// Cuts a byte or text stream into lines as node:readline does with crlfDelay: Infinity:
// a line ends at \n, \r\n or a lone \r, and a \r at the end of one chunk waits for the
// next one in case a \n follows. Invalid UTF-8 becomes U+FFFD, as readline's decoder does.
// Batch mode reads its input with this instead of readline, which would cost a promise
// per line and its own module load at every start.
export class LineSplitter {
  private rest = '';
  private readonly decoder = new TextDecoder('utf-8');

  /** Feeds a chunk; calls `onLine` for every line it completes, in order. */
  push(chunk: Buffer | string, onLine: (line: string) => void): void {
    const text = this.rest + (typeof chunk === 'string' ? chunk : this.decoder.decode(chunk, { stream: true }));
    this.rest = '';
    let start = 0;
    // Each is searched again only once passed, so a chunk is scanned once whatever its size.
    let nl = text.indexOf('\n');
    let cr = text.indexOf('\r');
    for (;;) {
      if (nl !== -1 && nl < start) nl = text.indexOf('\n', start);
      if (cr !== -1 && cr < start) cr = text.indexOf('\r', start);
      if (nl === -1 && cr === -1) break;
      if (cr === -1 || (nl !== -1 && nl < cr)) {
        onLine(text.slice(start, nl));
        start = nl + 1;
        continue;
      }
      // A \r: the line ends here; a \n right after it belongs to the same line end.
      if (cr === text.length - 1) {
        this.rest = text.slice(start);
        return;
      }
      onLine(text.slice(start, cr));
      start = text[cr + 1] === '\n' ? cr + 2 : cr + 1;
    }
    this.rest = text.slice(start);
  }

  /** At end of input: the last line, when it had no line end. */
  end(onLine: (line: string) => void): void {
    const text = this.rest + this.decoder.decode();
    this.rest = '';
    if (text.endsWith('\r')) {
      onLine(text.slice(0, -1));
      return;
    }
    if (text !== '') onLine(text);
  }
}
