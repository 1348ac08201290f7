/**
 * Reading `WWW-Authenticate` (RFC 9110 §11.6.1 syntax; RFC 6750 §3 Bearer parameters;
 * RFC 9728 §5.1 `resource_metadata`).
 *
 * A header may hold several challenges (`Basic realm="x", Bearer scope="a b"`) and a parameter
 * value may be a token or a quoted-string with backslash escapes, so splitting on commas is
 * wrong. This is a small tokenizer for exactly that grammar.
 */

export interface Challenge {
  /** The auth scheme, lower-cased (`bearer`). */
  scheme: string;
  /** Parameter names lower-cased; values unquoted and unescaped. */
  params: Record<string, string>;
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+/;

/** Parses every challenge in a `WWW-Authenticate` value; malformed tails are ignored. */
export function parseWwwAuthenticate(header: string): Challenge[] {
  const challenges: Challenge[] = [];
  let rest = header.trim();
  let current: Challenge | undefined;

  while (rest.length > 0) {
    rest = rest.replace(/^[\s,]+/, '');
    const name = TOKEN.exec(rest)?.[0];
    if (!name) break;
    const afterName = rest.slice(name.length).replace(/^\s*/, '');

    if (afterName.startsWith('=') && !/^=+\s*(,|$)/.test(afterName) && current) {
      // auth-param: name = ( token / quoted-string )
      let valueText = afterName.slice(1).replace(/^\s*/, '');
      let value: string;
      if (valueText.startsWith('"')) {
        let i = 1;
        value = '';
        while (i < valueText.length && valueText[i] !== '"') {
          if (valueText[i] === '\\' && i + 1 < valueText.length) i += 1;
          value += valueText[i];
          i += 1;
        }
        valueText = valueText.slice(i + 1);
      } else {
        value = TOKEN.exec(valueText)?.[0] ?? '';
        valueText = valueText.slice(value.length);
      }
      current.params[name.toLowerCase()] = value;
      rest = valueText;
    } else {
      // A new challenge: scheme [ token68 / params ]
      current = { scheme: name.toLowerCase(), params: {} };
      challenges.push(current);
      rest = afterName;
      const token68 = /^[A-Za-z0-9\-._~+/]+=*(?=\s*(,|$))/.exec(rest)?.[0];
      if (token68 && !rest.startsWith(`${token68}=`)) rest = rest.slice(token68.length);
    }
  }
  return challenges;
}

/** The Bearer challenge's parameters, if the header carries one. */
export function bearerChallenge(header: string | null): Record<string, string> | undefined {
  if (!header) return undefined;
  return parseWwwAuthenticate(header).find((c) => c.scheme === 'bearer')?.params;
}
