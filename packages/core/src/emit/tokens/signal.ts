import { noControl, VARIABLE, type Refuse } from './refusal';

// The signals Docker's signal.ParseSignal knows on Linux (with or without SIG, any case), or a number.
const NAMES = new Set(
  'ABRT ALRM BUS CHLD CLD CONT FPE HUP ILL INT IO IOT KILL PIPE POLL PROF PWR QUIT SEGV STKFLT STOP SYS TERM TRAP TSTP TTIN TTOU UNUSED URG USR1 USR2 VTALRM WINCH XCPU XFSZ RTMIN RTMAX'.split(' '),
);
const WHOLE_VARIABLE = new RegExp(`^(?:${VARIABLE.source})$`);

export function signal(value: string, refuse: Refuse): string {
  if (!noControl(value, 'STOPSIGNAL', refuse)) return value;
  if (WHOLE_VARIABLE.test(value)) return value;
  const name = value.toUpperCase().replace(/^SIG/, '');
  const rt = /^RTM(?:IN\+([0-9]+)|AX-([0-9]+))$/.exec(name);
  const ok = (/^[0-9]+$/.test(value) && Number(value) >= 1 && Number(value) <= 64) || NAMES.has(name) || (rt !== null && Number(rt[1] ?? rt[2]) <= 15);
  if (!ok) {
    refuse({ code: 'INVALID_SIGNAL', message: `"${value}" is not a signal`, hint: 'write a signal name like SIGTERM or SIGQUIT, or a number 1-64', value });
  }
  return value;
}
