// What the libvirt transport needs of virsh before (or without) starting one: its name,
// the quoting of its command parser, and the error for a virsh that ended. Kept apart from
// virsh-shell.ts so that the command line loads node:child_process only when it runs virsh.

/** virsh ended; `said` is what it printed on stderr that no command had claimed. */
export class VirshExited extends Error {
  readonly said: string;
  constructor(message: string, said: string) {
    super(message);
    this.said = said;
  }
}

export function virshBinary(env: NodeJS.ProcessEnv = process.env): string {
  return env.QEMU_HOST_VIRSH || 'virsh';
}

/**
 * Quotes one argument for virsh's own command parser: inside single quotes everything is
 * literal, and a single quote is closed, escaped with a backslash and reopened.
 */
export function virshQuote(text: string): string {
  return `'${text.replace(/'/g, "'\\''")}'`;
}
