const SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

/**
 * Quotes one argument for a POSIX shell on a remote host: safe words stay as they are, anything else is put in
 * single quotes, inside which nothing is special; a single quote becomes '"'"'. NUL cannot be passed at all.
 */
export function shellQuote(arg: string): string {
  if (arg.includes('\0')) throw new Error('A shell argument cannot contain a NUL byte.');
  if (arg === '') return "''";
  if (SAFE.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'"'"'`)}'`;
}

/** Quotes every argument and joins them into one command line. */
export function shellCommand(argv: readonly string[]): string {
  return argv.map(shellQuote).join(' ');
}
