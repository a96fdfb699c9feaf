// Every snippet language, in the order a quick pick offers them. Adding a language is one module
// here plus its tests.
import type { SnippetLanguage } from '../snippetGenerator';
import { csharpLanguage } from './csharp';
import { goLanguage } from './go';
import { javaLanguage } from './java';
import { javascriptLanguage } from './javascript';
import { phpLanguage } from './php';
import { powershellLanguage } from './powershell';
import { pythonLanguage } from './python';
import { rubyLanguage } from './ruby';
import { shellLanguage } from './shell';
import { typescriptLanguage } from './typescript';

export const SNIPPET_LANGUAGES: readonly SnippetLanguage[] = [
  javascriptLanguage, typescriptLanguage, pythonLanguage, csharpLanguage, javaLanguage,
  goLanguage, phpLanguage, rubyLanguage, shellLanguage, powershellLanguage,
];

/** The generator for a VS Code language id, e.g. the active editor's. */
export function snippetLanguageFor(languageId: string): SnippetLanguage | undefined {
  return SNIPPET_LANGUAGES.find((language) => language.id === languageId);
}
