import { noControl, VARIABLE, type Refuse } from './refusal';

const PORT = /^(\d{1,5})(?:-(\d{1,5}))?(?:\/(tcp|udp|sctp))?$/i;
const WHOLE_VARIABLE = new RegExp(`^(?:${VARIABLE.source})(?:/(tcp|udp|sctp))?$`, 'i');

/** EXPOSE: a port or range (`8000-8010`) with an optional protocol, or a variable. */
export function port(value: string, refuse: Refuse): string {
  if (!noControl(value, 'an EXPOSE port', refuse)) return value;
  if (WHOLE_VARIABLE.test(value)) return value;
  const m = PORT.exec(value);
  const inRange = (p: string | undefined): boolean => p === undefined || (Number(p) >= 1 && Number(p) <= 65535);
  if (!m || !inRange(m[1]) || !inRange(m[2]) || (m[2] !== undefined && Number(m[2]) < Number(m[1]))) {
    refuse({
      code: 'INVALID_PORT',
      message: `"${value}" is not a port Docker can expose`,
      hint: 'write a port 1-65535, a range like 8000-8010, optionally /tcp, /udp or /sctp, or a variable like ${PORT}',
      value,
    });
  }
  return value;
}
