/**
 * One command line for the shell of an integrated terminal, from an argument list. The terminal runs the
 * user's default shell, and each family quotes differently; a file path with a space, a quote or a `$`
 * must reach the interpreter as one unchanged argument.
 */

export type ShellKind = 'posix' | 'fish' | 'pwsh' | 'cmd';

/** The family of a shell from its executable path (vscode.env.shell); POSIX quoting is the default. */
export function shellKindOf(shellPath: string): ShellKind {
  const name = (shellPath.split(/[\\/]/).pop() ?? '').toLowerCase().replace(/\.exe$/, '');
  if (name === 'pwsh' || name === 'powershell') return 'pwsh';
  if (name === 'cmd') return 'cmd';
  if (name === 'fish') return 'fish';
  return 'posix';
}

const PLAIN = /^[A-Za-z0-9_/.,:@+=-]+$/;

/**
 * The command line, or an Error naming the argument that this shell cannot pass unchanged (cmd.exe
 * expands `%VAR%` even inside quotes, and a `"` cannot be quoted there).
 */
export function shellCommandLine(argv: readonly string[], kind: ShellKind): string {
  const quoted = argv.map((argument) => quote(argument, kind));
  // PowerShell treats a quoted first word as a string, not a command, unless it is invoked with `&`.
  return kind === 'pwsh' && quoted[0] !== argv[0] ? `& ${quoted.join(' ')}` : quoted.join(' ');
}

function quote(argument: string, kind: ShellKind): string {
  if (PLAIN.test(argument)) return argument;
  switch (kind) {
    case 'posix':
      return `'${argument.replace(/'/g, `'\\''`)}'`;
    case 'fish':
      return `'${argument.replace(/[\\']/g, '\\$&')}'`;
    case 'pwsh':
      // Single-quoted strings are verbatim in PowerShell; a quote (straight or typographic) is doubled.
      return `'${argument.replace(/['\u2018\u2019\u201a\u201b]/g, '$&$&')}'`;
    case 'cmd':
      if (/["%\r\n]/.test(argument)) {
        throw new Error(`The path ${argument} contains a character cmd.exe cannot pass unchanged (", % or a line break). Rename the file or set another default terminal shell.`);
      }
      return `"${argument}"`;
  }
}
