// The shell's own commands, typed with a leading colon.
import type { MetaCommand } from '../../completion/complete.js';
import { isReadOnly } from '../../verbs/watch/read-only.js';

export const META_COMMANDS: readonly MetaCommand[] = [
  { name: ':help', help: 'help for a command (:help guest-exec), or how to use the shell', takesCommand: true },
  { name: ':commands', help: 'every command, and whether this agent has it' },
  { name: ':keys', help: 'the key bindings' },
  { name: ':form', help: 'argument form for a command (:form guest-exec)', takesCommand: true },
  { name: ':wire', help: 'show or hide the wire view (raw lines, discarded bytes)' },
  { name: ':raw', help: 'show base64 members raw or decoded' },
  { name: ':clear', help: 'clear the history pane' },
  { name: ':settings', help: 'show the settings, profiles and where they are kept' },
  { name: ':set', help: 'change a setting: :set theme light, :set history-size 500, :set timeout 5000, :set default-socket PATH' },
  { name: ':profile', help: 'keep this connection as a profile (:profile save NAME, then qemu-host --profile NAME), or :profile rm NAME' },
  { name: ':copy', help: 'a command as virsh and socat lines to paste elsewhere (:copy guest-info; alone: the last one sent; Alt+C: the line)', takesCommand: true },
  { name: ':quit', help: 'leave the shell' },
  // The verbs (src/ui/shell/verbs): they run through the session, one at a time.
  { name: ':exec', help: "run a program in the guest: :exec uname -a, :exec --shell 'ls | wc -l' (asks first)", takesArgs: true },
  { name: ':get', help: 'copy a guest file here, with progress and a sha256 check: :get GUEST_PATH [LOCAL]', takesArgs: true, hostPaths: [1] },
  { name: ':put', help: 'copy a host file into the guest, with progress and a sha256 check: :put LOCAL GUEST_PATH (asks first)', takesArgs: true, hostPaths: [0] },
  { name: ':info', help: 'an overview of the guest: OS, clock, users, memory, filesystems, disks, network' },
  { name: ':watch', help: 'repeat a read-only command with live sparklines: :watch guest-get-load (alone: stops it)', takesCommand: true, commands: isReadOnly },
  { name: ':freeze', help: 'freeze the guest filesystems for a snapshot (all, or the mountpoints given; asks first)', takesArgs: true },
  { name: ':thaw', help: 'thaw the frozen filesystems (asks first)' },
];
