/**
 * A file name or value as the command line prints it (seed, publish, npm start's live editing,
 * unfurl): every control character, C0, DEL and C1, as `\xHH`. ESC starts the terminal's escape
 * sequences (OSC sets the window title, CSI clears the screen and changes colours, in a terminal and
 * in many CI log viewers), and a file may be called anything; a line feed in a name would fake a
 * line of output. Messages are built from printable parts, so only the values need this.
 */
export function printable(text: string): string {
  return text.replace(/\p{Cc}/gu, (c) => `\\x${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}
