// Putting a line on the user's clipboard through the terminal: OSC 52, which xterm, kitty,
// iTerm2, WezTerm, foot, Windows Terminal and tmux (`set -g set-clipboard on`) honour, also
// over ssh. The sequence draws nothing, so it goes straight to the terminal beside Ink's
// frames. What is copied is only ever a copy-as line, which never holds a secret.

/** The OSC 52 sequence that sets the clipboard to `text`. */
export function osc52(text: string): string {
  return `\u001b]52;c;${Buffer.from(text, 'utf8').toString('base64')}\u0007`;
}

/** A clipboard that writes OSC 52 to `out`, or none when `out` is not a terminal. */
export function terminalClipboard(out: NodeJS.WriteStream): ((text: string) => void) | undefined {
  if (!out.isTTY) return undefined;
  return (text) => {
    out.write(osc52(text));
  };
}
