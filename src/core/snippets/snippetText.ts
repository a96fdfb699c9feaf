// VS Code SnippetString syntax for generators: tab stops on editable values, escaping for the rest.

/** Escapes text so a SnippetString inserts it literally (`$`, `}` and `\` are syntax there). */
export function literal(text: string): string {
  return text.replace(/[\\$}]/g, (char) => `\\${char}`);
}

/** A tab stop the user can overwrite: `${n:value}`. */
export function tabStop(index: number, value: string): string {
  return `\${${index}:${literal(value)}}`;
}

/**
 * The text the snippet inserts when every tab stop keeps its value: what tests execute and golden
 * files hold. Handles `${n:value}`, `$n`, `${n}` and the escapes that `literal` produces.
 */
export function toPlainText(snippet: string): string {
  let out = '';
  for (let i = 0; i < snippet.length; i++) {
    const char = snippet[i];
    if (char === '\\' && i + 1 < snippet.length && '\\$}'.includes(snippet[i + 1])) {
      out += snippet[++i];
    } else if (char === '$' && /^\$\{\d+:/.test(snippet.slice(i))) {
      i = snippet.indexOf(':', i);
    } else if (char === '$' && /^\$(\d+|\{\d+\})/.test(snippet.slice(i))) {
      i += /^\$(\d+|\{\d+\})/.exec(snippet.slice(i))![0].length - 1;
    } else if (char === '}') {
      // The end of a `${n:value}` tab stop; a literal } is always escaped.
    } else {
      out += char;
    }
  }
  return out;
}
