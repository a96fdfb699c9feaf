// TypeScript snippets for Node 18+ (with @types/node): the JavaScript program, typed, with ES imports.
import type { SnippetLanguage } from '../snippetGenerator';
import { ECMASCRIPT_VARIANTS, ecmascriptSnippet } from './ecmascript';

export const typescriptLanguage: SnippetLanguage = {
  id: 'typescript',
  label: 'TypeScript (Node.js)',
  variants: ECMASCRIPT_VARIANTS,
  generate: (kind, context, variant) => ecmascriptSnippet(kind, context, true, variant),
};
