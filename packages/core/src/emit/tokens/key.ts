import { quoteValue } from './quote';
import { noControl, type Refuse } from './refusal';

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** ENV / ARG names: what Docker expands as `$NAME` (no whitespace, `=`, quotes or control characters). */
export function variableName(key: string, refuse: Refuse, what: 'ENV' | 'ARG'): string {
  if (!NAME.test(key)) {
    refuse({ code: 'INVALID_KEY', message: `${what} name "${key}" is not a variable name`, hint: 'use letters, digits and _, not starting with a digit', value: key, key: true });
  }
  return key;
}

/** LABEL keys: bare when simple, else double-quoted; never `=` (BuildKit's lexer splits on it) or control characters. */
export function labelKey(key: string, refuse: Refuse): string {
  if (!noControl(key, 'a label key', (r) => refuse({ ...r, key: true }))) return 'x';
  if (key === '' || key.includes('=')) {
    refuse({
      code: 'INVALID_KEY',
      message: key === '' ? 'a label key is empty' : `label key "${key}" contains "=", which BuildKit reads as the end of the key`,
      hint: 'use a reverse-DNS key like org.opencontainers.image.title',
      value: key,
      key: true,
    });
  }
  // Bare only when plain: a leading '-' is quoted, since `--key` would read as a flag.
  return /^[A-Za-z0-9_.][A-Za-z0-9_./-]*$/.test(key) ? key : quoteValue(key);
}

/** An ENV / ARG / LABEL value: always double-quoted; no control characters (a newline would end the instruction). */
export function keyValueText(value: string, refuse: Refuse, what: string): string {
  noControl(value, what, refuse);
  return quoteValue(value);
}

/** `KEY="value"` of ENV / ARG. */
export const envPair = (key: string, value: string, refuse: Refuse, what: 'ENV' | 'ARG'): string =>
  `${variableName(key, refuse, what)}=${keyValueText(value, refuse, `the ${what} value of ${key}`)}`;

export const labelPair = (key: string, value: string, refuse: Refuse): string => `${labelKey(key, refuse)}=${keyValueText(value, refuse, `the label value of ${key}`)}`;
