// --record FILE: every session this process opens is recorded into FILE (see
// src/verbs/transcript/format.ts for the line format). The file is opened before anything
// connects, so a path that cannot be written is a usage error with nothing sent.
import { TranscriptFile } from '../verbs/transcript/transcript-file.js';
import { recordSession } from '../verbs/transcript/recorder.js';
import { onSessionOpen } from './context.js';

export interface RecordingOptions {
  file: string;
  /** "qemu-host 0.1.0". */
  tool: string;
  /** What this run is: call, exec, shell, batch, ... */
  mode: string;
  stderr: NodeJS.WritableStream;
}

export function startRecording(options: RecordingOptions): TranscriptFile {
  const file = TranscriptFile.open(options.file, {
    onError: (error) => options.stderr.write(`qemu-host: ${error.message}\n`),
  });
  for (const note of file.notes) options.stderr.write(`qemu-host: --record: ${note}\n`);
  onSessionOpen((session) => {
    recordSession(session, file, { tool: options.tool, mode: options.mode });
  });
  // Lines are written as they happen; closing only fsyncs (and tidies an unused new file).
  process.once('exit', () => file.close());
  return file;
}

/** The mode a run without a subcommand is in: the shell, the plain prompt, or batch. */
export function defaultMode(plain: boolean | undefined, stdinIsTty: boolean): string {
  if (!stdinIsTty) return 'batch';
  return plain ? 'plain' : 'shell';
}
