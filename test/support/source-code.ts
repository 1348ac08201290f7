/**
 * A TypeScript module's code without its comments and without the text of its string literals
 * (a template literal keeps its `${...}` expressions), for test/parameter-walk.test.ts: what
 * the code names, not what its prose or its messages say. A regular expression literal is read
 * as code; none in the packages it reads holds a quote or a comment marker that would matter.
 */
export function codeOnly(source: string): string {
  let out = '';
  // The `${` and, inside them, the `{` still open: a `}` closes the last one.
  const open: ('expr' | 'brace')[] = [];
  // Reading a template literal's text (not one of its expressions).
  let inTemplate = false;
  let i = 0;
  while (i < source.length) {
    const c = source[i]!;
    const next = source[i + 1];
    if (inTemplate) {
      if (c === '\\') i += 2;
      else if (c === '`') {
        inTemplate = false;
        i += 1;
      } else if (c === '$' && next === '{') {
        open.push('expr');
        inTemplate = false;
        out += ' ';
        i += 2;
      } else i += 1;
      continue;
    }
    if (c === '/' && next === '/') {
      const end = source.indexOf('\n', i);
      i = end < 0 ? source.length : end;
    } else if (c === '/' && next === '*') {
      const end = source.indexOf('*/', i + 2);
      i = end < 0 ? source.length : end + 2;
    } else if (c === "'" || c === '"') {
      i += 1;
      while (i < source.length && source[i] !== c) i += source[i] === '\\' ? 2 : 1;
      out += ' ';
      i += 1;
    } else if (c === '`') {
      inTemplate = true;
      out += ' ';
      i += 1;
    } else if (c === '}' && open.at(-1) === 'expr') {
      open.pop();
      inTemplate = true;
      i += 1;
    } else {
      if (c === '{' && open.length > 0) open.push('brace');
      if (c === '}' && open.at(-1) === 'brace') open.pop();
      out += c;
      i += 1;
    }
  }
  return out;
}
