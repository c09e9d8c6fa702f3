import { noControl, type Refuse } from './refusal';

/**
 * A flag value (`--chown`, `--chmod`, `--exclude`, `--checksum`, `--platform`, `--network`,
 * `--from`): one word. A space would end the flag and start the arguments; quotes and
 * backslashes are read by BuildKit's flag lexer but not by other parsers, so both are refused.
 */
export function flag(name: string, value: string, refuse: Refuse): string {
  const what = `--${name}`;
  if (!noControl(value, `the value of ${what}`, refuse, '')) return `--${name}=`;
  const bad = /[\s"'\\]|[^\x21-\x7e]/u.exec(value);
  if (value === '' || bad) {
    refuse({
      code: 'INVALID_FLAG_VALUE',
      message: value === '' ? `${what} needs a value` : `the value of ${what} "${value}" contains ${describe(bad![0])}, which would split or change the flag`,
      hint: 'a flag value is one word of ASCII: no spaces, quotes or backslashes',
      value,
    });
  }
  return `--${name}=${value}`;
}

/**
 * One `--mount` option. The parsers that read mounts disagree on quoting (BuildKit reads them
 * as CSV, dockerfile-ast splits on commas), so a value is refused rather than quoted when it
 * holds a comma, a quote, `=`, whitespace or a backslash.
 */
export function mountOption(key: string, value: string, refuse: Refuse): string {
  if (!noControl(value, `the mount option ${key}`, refuse)) return `${key}=`;
  const bad = /[\s,"'=\\]|[^\x21-\x7e]/u.exec(value);
  if (value === '' || bad) {
    refuse({
      code: 'INVALID_FLAG_VALUE',
      message: value === '' ? `the mount option ${key} is empty` : `the mount option ${key}="${value}" contains ${describe(bad![0])}, which would split or add mount options`,
      hint: 'a mount option value is one word of ASCII without spaces, commas, quotes, "=" or backslashes',
      value,
    });
  }
  return `${key}=${value}`;
}

// BuildKit's flag parser reads a line byte by byte, so a non-ASCII character comes out mangled.
const describe = (c: string): string => (c === ' ' ? 'a space' : /\s/.test(c) ? 'whitespace' : /[^\x21-\x7e]/.test(c) ? `the non-ASCII "${c}" (BuildKit reads flags byte by byte)` : `"${c}"`);
