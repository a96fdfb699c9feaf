/**
 * How Run with My Tokens starts a file: the interpreter or toolchain for its language, as an argument
 * list (never a string), so the file's path is quoted once, for the shell that receives it
 * (shellCommandLine.ts). The commands match how each snippet's header says it runs
 * (src/core/snippets/languages/*.ts: `node file.js`, `go run snippet.go`, `java Snippet.java`, …).
 */

export type RunPlatform = 'win32' | 'darwin' | 'linux' | string;

interface Runner {
  /** VS Code language ids. */
  languageIds: readonly string[];
  /** File extensions (lower case, with the dot), for a file VS Code opened as plain text. */
  extensions: readonly string[];
  label: string;
  argv(file: string, platform: RunPlatform): string[];
}

const RUNNERS: readonly Runner[] = [
  { languageIds: ['javascript'], extensions: ['.js', '.cjs', '.mjs'], label: 'Node.js', argv: (file) => ['node', file] },
  {
    languageIds: ['python'], extensions: ['.py'], label: 'Python 3',
    // Windows installs `python` (and the `py` launcher); `python3` there is often the Store's stub.
    argv: (file, platform) => [platform === 'win32' ? 'python' : 'python3', file],
  },
  { languageIds: ['shellscript'], extensions: ['.sh', '.bash'], label: 'bash', argv: (file) => ['bash', file] },
  { languageIds: ['go'], extensions: ['.go'], label: 'Go', argv: (file) => ['go', 'run', file] },
  // Java 11+ runs a single source file directly (JEP 330); the snippets are single-file Java 17 programs.
  { languageIds: ['java'], extensions: ['.java'], label: 'Java', argv: (file) => ['java', file] },
  { languageIds: ['php'], extensions: ['.php'], label: 'PHP', argv: (file) => ['php', file] },
  { languageIds: ['ruby'], extensions: ['.rb'], label: 'Ruby', argv: (file) => ['ruby', file] },
  {
    languageIds: ['powershell'], extensions: ['.ps1'], label: 'PowerShell',
    argv: (file) => ['pwsh', '-NoProfile', '-File', file],
  },
];

export interface RunCommand {
  argv: string[];
  /** What runs it, for messages ("Python 3"). */
  label: string;
}

/** The command for `file` opened as `languageId`, or undefined when the language has no runner here. */
export function runCommandFor(languageId: string, file: string, platform: RunPlatform): RunCommand | undefined {
  const lower = file.toLowerCase();
  const runner = RUNNERS.find((candidate) => candidate.languageIds.includes(languageId))
    ?? RUNNERS.find((candidate) => candidate.extensions.some((extension) => lower.endsWith(extension)));
  return runner ? { argv: runner.argv(file, platform), label: runner.label } : undefined;
}

/** The languages Run with My Tokens can start, for the message shown on any other file. */
export function runnableLanguages(): string {
  return RUNNERS.map((runner) => runner.label).join(', ');
}

/** The VS Code language ids with a runner; package.json's menus list the same (a unit test compares). */
export const RUNNABLE_LANGUAGE_IDS: readonly string[] = RUNNERS.flatMap((runner) => runner.languageIds);
