// `:help :exec` (and the others): what each verb does, its options, and an example.
import { seg, textLines, type Line } from '../../text/styled-line.js';
import type { VerbName } from './verb-item.js';

interface VerbDoc {
  usage: string;
  what: string;
  options?: readonly [string, string][];
  notes?: readonly string[];
  examples: readonly string[];
}

const DOCS: Record<VerbName, VerbDoc> = {
  exec: {
    usage: ":exec [OPTIONS] CMD [ARGS...]   or   :exec [OPTIONS] --shell 'LINE'",
    what: 'Runs a program in the guest (guest-exec) and waits for it. The entry shows the pid and the time while it runs, then stdout and stderr decoded, the exit code or signal, and whether the agent cut the output (it keeps 16 MiB of each). Asks first: a guest program can change anything.',
    options: [
      ['--shell LINE', 'run a shell line with sh -c (pipes, redirections, $VARS)'],
      ['--stdin TEXT', 'send TEXT and a newline as its stdin (quote it for spaces); without it stdin is empty'],
      ['--input FILE', 'send a host file as its stdin (up to 16 MiB)'],
      ['--env NAME=VALUE', 'environment entry (repeatable); it REPLACES the whole environment, so add PATH=... too'],
      ['--timeout 30s', 'kill it after this long'],
    ],
    notes: ['The output arrives when the process exits: the agent gives none before. Ctrl+C kills the guest process and its children.'],
    examples: [':exec uname -a', ":exec --shell 'dmesg | tail -5'", ':exec --stdin hello tr a-z A-Z'],
  },
  get: {
    usage: ':get GUEST_PATH [LOCAL] [--chunk SIZE] [--no-verify]',
    what: "Copies a guest file to the host (LOCAL: a file or directory; default: its name, here), with a live progress bar and a sha256 check against the guest's copy (sha256sum through guest-exec). The file appears only when whole and checked; Ctrl+C stops it, closes the guest handle and leaves nothing behind.",
    examples: [':get /var/log/syslog', ':get /etc/os-release /tmp/'],
  },
  put: {
    usage: ':put LOCAL GUEST_PATH [--chunk SIZE] [--no-verify]',
    what: "Copies a host file into the guest (GUEST_PATH ending in / means into that directory), with progress and a sha256 check. Asks first, naming the file and the size; refused in --read-only. The agent cannot rename, so a copy stopped half way leaves the guest file incomplete, and the entry says how much was written.",
    examples: [':put ./tool.sh /tmp/tool.sh', ':put build.tar /root/'],
  },
  info: {
    usage: ':info',
    what: 'An overview of the guest from every read-only command the agent will answer: OS, host name, clock and its skew, users, vCPUs, memory, load, filesystems, disks and network as tables, and what was not shown and why.',
    examples: [':info'],
  },
  watch: {
    usage: ':watch COMMAND [ARGS...] [--every S] [--count N]      :watch (alone) stops it',
    what: 'Repeats a read-only command every S seconds (default 2) in a live entry: CPU busy %, disk and network rates, load and filesystem use as sparklines; other replies as they come. Ctrl+C, Esc or :watch alone stops it. Only commands that read are allowed.',
    examples: [':watch guest-get-load --every 1', ':watch guest-get-cpustats', ':watch guest-get-fsinfo --every 10'],
  },
  freeze: {
    usage: ':freeze [MOUNTPOINT...]',
    what: "Freezes every guest filesystem, or the mountpoints given (guest-fsfreeze-freeze / -freeze-list), for a consistent snapshot. Asks first. While frozen the status bar shows FROZEN with a timer, writes in the guest block, and the agent refuses most commands (the shell says so when it does). The banner also appears when the freeze is learned another way: guest-fsfreeze-freeze typed at the prompt, or guest-fsfreeze-status answering \"frozen\".",
    examples: [':freeze', ':freeze /mnt/data'],
  },
  thaw: {
    usage: ':thaw',
    what: 'Thaws the frozen filesystems (guest-fsfreeze-thaw) and says how long they were frozen. Asks first, as guest-fsfreeze-thaw does.',
    examples: [':thaw'],
  },
};

export function verbHelpLines(verb: VerbName, width: number): Line[] {
  const doc = DOCS[verb];
  const out: Line[] = [[seg('? ', 'prompt'), seg(`:${verb}`, 'accent'), seg('  shell verb', 'muted')]];
  out.push(...textLines(doc.usage, width, 'json-key', '  '));
  out.push(...textLines(doc.what, width, 'text', '  '));
  if (doc.options) {
    out.push([], [seg('  Options', 'accent')]);
    for (const [name, help] of doc.options) out.push(...textLines(help, width, 'text', `    ${name.padEnd(18)}`));
  }
  for (const note of doc.notes ?? []) out.push([], ...textLines(note, width, 'muted', '  '));
  out.push([], [seg('  While a verb runs, the prompt shows it; other commands are refused (their line stays) until it ends.', 'muted')]);
  out.push([seg('  Try: ', 'muted'), seg(doc.examples.join('   '), 'accent')]);
  return out;
}

/** One line per verb, for the key list. */
export const VERBS_LINE = 'Shell verbs: :exec, :get, :put, :info, :watch, :freeze, :thaw · :help :exec (and so on) explains each';
