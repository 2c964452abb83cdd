// --wire: every line in and out, and everything the sync threw away, on stderr with a
// timestamp. The command-line counterpart of the shell's wire view.
import type { Session } from '../session/session.js';

const ARROWS = { out: '-->', in: '<--', discard: 'xx ' } as const;

export function attachWireLog(session: Session, stream: NodeJS.WritableStream): () => void {
  return session.on('wire', (event) => {
    const time = new Date(event.at).toISOString().slice(11, 23);
    const ff = event.delimited ? '\\xff' : '';
    const why = event.reason ? `   (${event.reason}, ${event.bytes} bytes)` : '';
    stream.write(`${time} ${ARROWS[event.direction]} ${ff}${event.text}${why}\n`);
  });
}
