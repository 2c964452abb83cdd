// One long-lived `virsh -c URI` fed commands on stdin, so that a command costs a round
// trip to libvirtd rather than a new process and a new libvirt connection each time.
//
// virsh reads stdin with readline and echoes each line back on stdout, so its output is
// not a clean stream. Every command is followed by `echo MARK` and `echo --err MARK`:
// once both markers have come back (one on stdout, one on stderr), everything the command
// printed on either stream has arrived. The marker is typed with an escaped character
// (virsh drops the backslash), so only the printed marker matches, never readline's echo.
//
// The environment keeps secrets out of files and the output predictable: history off and
// in a private cache dir (virsh would otherwise write every line, passwords included, to
// ~/.cache/virsh/history), no inputrc of the user's, no debug logs, English messages.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { VirshExited, virshBinary } from './virsh-words.js';

export interface VirshOutput {
  /** What virsh printed on stdout for the command, readline's echo included. */
  stdout: string;
  /** What it printed on stderr (its `error: ...` lines). */
  stderr: string;
}

export interface VirshShellOptions {
  uri?: string;
  /** The virsh binary (default: `virsh` on the PATH, or $QEMU_HOST_VIRSH). */
  binary?: string;
  env?: NodeJS.ProcessEnv;
}

/** Variables that would make virsh or the libvirt client log what we send. */
const LOGGING_VARIABLES = ['VIRSH_DEBUG', 'VIRSH_LOG_FILE', 'LIBVIRT_DEBUG', 'LIBVIRT_LOG_OUTPUTS', 'LIBVIRT_LOG_FILTERS'];

interface Pending {
  mark: string;
  resolve(output: VirshOutput): void;
  reject(error: Error): void;
}

// The pure parts live in virsh-words.ts, which loads without node:child_process.
export { VirshExited, virshBinary, virshQuote } from './virsh-words.js';

export class VirshShell {
  private readonly child: ChildProcess;
  private readonly cacheDir: string;
  private readonly markPrefix = `@qh${randomBytes(6).toString('hex')}:`;
  private seq = 0;
  private readonly queue: Pending[] = [];
  private stdout = '';
  private stderr = '';
  /** How far stdout and stderr were searched for the head's marker, so big replies are scanned once. */
  private outScanned = 0;
  private errScanned = 0;
  private exitError: Error | undefined;
  private exitListeners: ((error: Error) => void)[] = [];
  /** Resolves once the process has been started (or failed to). */
  readonly spawned: Promise<void>;

  constructor(options: VirshShellOptions = {}) {
    const env: NodeJS.ProcessEnv = { ...(options.env ?? process.env) };
    for (const name of LOGGING_VARIABLES) delete env[name];
    this.cacheDir = mkdtempSync(path.join(tmpdir(), 'qh-virsh-'));
    Object.assign(env, {
      VIRSH_HISTSIZE: '0',
      XDG_CACHE_HOME: this.cacheDir,
      INPUTRC: '/dev/null',
      TERM: 'dumb',
      LC_ALL: 'C',
    });
    const args = ['-q', ...(options.uri ? ['-c', options.uri] : [])];
    // In a session of its own, without our terminal: with a controlling tty the libvirt
    // client tries to start a polkit text agent and fails the connection ("Authorization
    // not available"), and Ctrl+C in the shell must reach us, not kill virsh. It still
    // ends with us: its stdin closes.
    this.child = spawn(options.binary ?? virshBinary(env), args, { stdio: ['pipe', 'pipe', 'pipe'], env, detached: true });
    this.spawned = new Promise((resolve, reject) => {
      this.child.once('spawn', () => resolve());
      this.child.once('error', (err) => reject(err));
    });
    this.spawned.catch(() => undefined);
    this.child.stdout!.setEncoding('utf8');
    this.child.stderr!.setEncoding('utf8');
    this.child.stdout!.on('data', (text: string) => {
      this.stdout += text;
      this.settle();
    });
    this.child.stderr!.on('data', (text: string) => {
      this.stderr += text;
      this.settle();
    });
    this.child.stdin!.on('error', () => undefined);
    this.child.once('error', (err) => this.ended(err));
    // 'close' comes after the pipes have drained, so what virsh said last is in the error.
    this.child.once('close', (code, signal) => {
      const said = this.stderr.split('\n').map((l) => l.replace(/^error: /, '').trim()).filter(Boolean).join(': ');
      this.ended(new VirshExited(`virsh exited (${signal ?? `status ${code}`})${said ? `: ${said}` : ''}`, said));
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get alive(): boolean {
    return this.exitError === undefined;
  }

  /** Called once when virsh exits or cannot be started. */
  onExit(listener: (error: Error) => void): void {
    if (this.exitError) listener(this.exitError);
    else this.exitListeners.push(listener);
  }

  /** Runs one virsh command line (already quoted) and resolves with what it printed. */
  run(commandLine: string): Promise<VirshOutput> {
    if (/[\r\n]/.test(commandLine)) return Promise.reject(new Error('a virsh command line cannot contain a line break'));
    if (this.exitError) return Promise.reject(this.exitError);
    const mark = `${this.markPrefix}${++this.seq}@`;
    // Typed as ...@\@: virsh prints it without the backslash.
    const typed = `${mark.slice(0, -1)}\\@`;
    return new Promise((resolve, reject) => {
      this.queue.push({ mark, resolve, reject });
      this.child.stdin!.write(`${commandLine}\necho ${typed}\necho --err ${typed}\n`);
    });
  }

  /** Kills virsh; whatever was queued fails. */
  kill(): void {
    if (this.exitError) return;
    this.child.kill('SIGKILL');
  }

  private settle(): void {
    for (let head = this.queue[0]; head; head = this.queue[0]) {
      const errLine = `error: ${head.mark}\n`;
      const outAt = this.stdout.indexOf(head.mark, this.outScanned);
      const errAt = this.stderr.indexOf(errLine, this.errScanned);
      if (outAt < 0) this.outScanned = Math.max(0, this.stdout.length - head.mark.length);
      if (errAt < 0) this.errScanned = Math.max(0, this.stderr.length - errLine.length);
      if (outAt < 0 || errAt < 0) return;
      this.outScanned = 0;
      this.errScanned = 0;
      this.queue.shift();
      const output = { stdout: this.stdout.slice(0, outAt), stderr: this.stderr.slice(0, errAt) };
      this.stdout = this.stdout.slice(outAt + head.mark.length);
      this.stderr = this.stderr.slice(errAt + errLine.length);
      head.resolve(output);
    }
  }

  private ended(error: Error): void {
    if (this.exitError) return;
    this.exitError = error;
    rmSync(this.cacheDir, { recursive: true, force: true });
    for (const pending of this.queue.splice(0)) pending.reject(error);
    for (const listener of this.exitListeners.splice(0)) listener(error);
  }
}
