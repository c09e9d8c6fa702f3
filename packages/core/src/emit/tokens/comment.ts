import { controlCharacter, noControl, type Refuse } from './refusal';

/** Free text from stages.yaml (a description) as `# ` comment lines; control characters other than newlines are refused. */
export function commentLines(text: string, refuse: Refuse, what = 'the description'): string[] {
  noControl(text, what, refuse, '\n');
  return text
    .trimEnd()
    .split('\n')
    .map((line) => `# ${line}`.trimEnd());
}

/**
 * Text that does not come from stages.yaml (the `-c` file name) inside a comment: there is no
 * value to point at, so control characters are shown escaped (`\u000a`) instead of refused.
 */
export function commentText(text: string): string {
  let out = '';
  for (const c of text) out += controlCharacter(c) === undefined ? c : `\\u${c.codePointAt(0)!.toString(16).padStart(4, '0')}`;
  return out;
}
