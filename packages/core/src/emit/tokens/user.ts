import { noControl, withoutVariables, type Refuse } from './refusal';

const NAME = '[A-Za-z0-9_][A-Za-z0-9_.-]*';
const USER = new RegExp(`^${NAME}(?::${NAME})?$`);

/** USER and --chown: `name[:group]`, names or ids, variables allowed; no spaces (`app staff` is not a user). */
export function user(value: string, refuse: Refuse, what = 'USER'): string {
  if (!noControl(value, what, refuse)) return value;
  if (!USER.test(withoutVariables(value))) {
    refuse({
      code: 'INVALID_USER',
      message: `${what} "${value}" is not a user[:group]`,
      hint: 'write a name or id, optionally :group, e.g. "node", "65532:65532", "app:staff"',
      value,
    });
  }
  return value;
}
