// JavaScript snippets for Node 18+: CommonJS, with the built-in fetch or with axios.
import type { SnippetLanguage } from '../snippetGenerator';
import { ECMASCRIPT_VARIANTS, ecmascriptSnippet } from './ecmascript';

export const javascriptLanguage: SnippetLanguage = {
  id: 'javascript',
  label: 'JavaScript (Node.js)',
  variants: ECMASCRIPT_VARIANTS,
  generate: (kind, context, variant) => ecmascriptSnippet(kind, context, false, variant),
};
