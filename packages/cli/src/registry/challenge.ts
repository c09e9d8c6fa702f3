/** One challenge of a WWW-Authenticate header: `Bearer realm="https://auth",service="registry",scope="..."`. */
export interface Challenge {
  scheme: string;
  params: Record<string, string>;
}

/**
 * RFC 7235 challenges, as registries send them. Quoted values may hold commas and escaped
 * quotes; several challenges may share one header (`Basic realm="x", Bearer realm="y"`).
 */
export function parseChallenges(header: string): Challenge[] {
  const challenges: Challenge[] = [];
  const token = /\s*([!#$%&'*+.^_`|~0-9A-Za-z-]+)/y;
  let i = 0;
  const skip = (re: RegExp): string | undefined => {
    re.lastIndex = i;
    const m = re.exec(header);
    if (!m) return undefined;
    i = re.lastIndex;
    return m[1] ?? m[0];
  };
  while (i < header.length) {
    if (skip(/[\s,]+/y) !== undefined && i >= header.length) break;
    const scheme = skip(token);
    if (!scheme) break;
    const challenge: Challenge = { scheme: scheme.toLowerCase(), params: {} };
    challenges.push(challenge);
    for (;;) {
      const save = i;
      skip(/[\s,]*/y);
      const key = skip(token);
      if (!key || skip(/\s*=\s*/y) === undefined) {
        i = save; // the next challenge's scheme, or the end
        break;
      }
      const quoted = skip(/"((?:[^"\\]|\\.)*)"/y);
      const value = quoted !== undefined ? quoted.replace(/\\(.)/g, '$1') : (skip(/([^\s,]*)/y) ?? '');
      challenge.params[key.toLowerCase()] = value;
    }
  }
  return challenges;
}
