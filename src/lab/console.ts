// The lab guest's serial console (ttyS0) runs a root shell. This drives it: a way into the
// guest that does not go through the agent, so it still works while the agent is busy,
// stuck or dead (tests use it to kill qemu-ga mid-command).
import net from 'node:net';
import { randomInt } from 'node:crypto';
import { QemuHostError } from '../protocol/errors.js';

export interface ConsoleResult {
  /** The command's exit status. */
  status: number;
  /** What the console printed between sending the command and its end marker (tty echo included). */
  output: string;
}

export class GuestConsole {
  private text = '';
  private readonly socket: net.Socket;
  private readonly waiters = new Set<() => void>();
  private closed = false;

  private constructor(socket: net.Socket) {
    this.socket = socket;
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      this.text += chunk;
      for (const wake of [...this.waiters]) wake();
    });
    socket.on('close', () => {
      this.closed = true;
      for (const wake of [...this.waiters]) wake();
    });
    socket.on('error', () => undefined);
  }

  /** Connects and waits until the guest shell answers. */
  static async open(socketPath: string, timeoutMs = 30_000): Promise<GuestConsole> {
    const socket = await new Promise<net.Socket>((resolve, reject) => {
      const sock = net.createConnection({ path: socketPath });
      sock.once('connect', () => resolve(sock));
      sock.once('error', (err) => reject(new QemuHostError(`cannot open the guest console at ${socketPath}: ${err.message}`, { cause: err })));
    });
    const guestConsole = new GuestConsole(socket);
    try {
      await guestConsole.waitForShell(timeoutMs);
    } catch (err) {
      guestConsole.close();
      throw err;
    }
    return guestConsole;
  }

  /** Everything the console printed since it was opened. */
  get transcript(): string {
    return this.text;
  }

  /**
   * Runs one shell command line in the guest and waits for it to finish. The end marker is
   * written so that the tty's echo of the command line does not match it.
   */
  async run(command: string, timeoutMs = 30_000): Promise<ConsoleResult> {
    const tag = randomInt(1, 2 ** 31);
    const from = this.text.length;
    this.socket.write(`${command}; echo "qh-done-""${tag}:$?"\n`);
    const marker = new RegExp(`qh-done-${tag}:(\\d+)`);
    const match = await this.waitFor(marker, from, timeoutMs, `the guest shell did not finish \`${command}\``);
    const output = this.text.slice(from, from + match.index);
    return { status: Number(match[1]), output };
  }

  close(): void {
    this.socket.destroy();
  }

  /** The shell may not be reading ttyS0 yet: poke it until it answers. */
  private async waitForShell(timeoutMs: number): Promise<void> {
    const end = Date.now() + timeoutMs;
    const tag = randomInt(1, 2 ** 31);
    const marker = new RegExp(`qh-ready-${tag}`);
    while (Date.now() < end) {
      this.socket.write(`echo "qh-ready-""${tag}"\n`);
      try {
        await this.waitFor(marker, 0, Math.min(500, end - Date.now()), 'no shell on the guest console');
        return;
      } catch (err) {
        if (this.closed) throw err;
      }
    }
    throw new QemuHostError(`no shell answered on the guest console within ${timeoutMs} ms`);
  }

  private waitFor(pattern: RegExp, from: number, timeoutMs: number, what: string): Promise<RegExpExecArray> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        const match = pattern.exec(this.text.slice(from));
        if (match) {
          done();
          resolve(match);
        } else if (this.closed) {
          done();
          reject(new QemuHostError(`${what}: the console closed`));
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new QemuHostError(`${what} within ${timeoutMs} ms`));
      }, timeoutMs);
      const done = (): void => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      this.waiters.add(check);
      check();
    });
  }
}
