import type { Instruction, Property } from 'dockerfile-ast';
import type { Doc, Refusal } from './model';
import { argumentText, copyStep, flags, runStep } from './steps';
import { execForm, variablesIn } from './text';

/**
 * One instruction of a stage body in the stage model: a step (its place matters), a movable
 * metadata field (DESIGN 11: EXPOSE, LABEL, HEALTHCHECK, STOPSIGNAL, ENTRYPOINT, CMD, ONBUILD
 * may move to the stage's end), or a refusal.
 */
export type Item =
  | { kind: 'step'; step: Doc; line: number; defines: string[] }
  | { kind: 'meta'; field: 'expose' | 'labels' | 'healthcheck' | 'stopsignal' | 'entrypoint' | 'cmd' | 'onbuild'; value: unknown; line: number; uses: string[] }
  | { kind: 'refuse'; refusal: Refusal };

/** A `FROM`, `--from` or mount `from` value as stages.yaml writes it: a stage of this file (by name or index) by its new name, else an image. */
export type StageLookup = (ref: string) => unknown;

interface Propertied {
  getProperties(): Property[];
}

export const spanOf = (i: { getRange(): { start: { line: number; character: number }; end: { line: number; character: number } } }) => {
  const r = i.getRange();
  return { line: r.start.line + 1, column: r.start.character + 1, endLine: r.end.line + 1, endColumn: r.end.character + 1 };
};

const refuse = (instruction: Instruction, message: string, hint?: string): Item => ({
  kind: 'refuse',
  refusal: { ...spanOf(instruction), message, ...(hint ? { hint } : {}) },
});

const properties = (instruction: Instruction): Property[] => (instruction as unknown as Propertied).getProperties();

/** ENV / ARG / LABEL pairs; undefined when ENV reads one of its own earlier keys (Docker reads the old value). */
function pairs(instruction: Instruction): [string, string | null][] | string {
  const out: [string, string | null][] = [];
  for (const p of properties(instruction)) {
    const value = p.getValue();
    if (instruction.getKeyword() === 'ENV' && value !== null && variablesIn(value).some((v) => out.some(([k]) => k === v)))
      return `ENV ${p.getName()} reads ${variablesIn(value).find((v) => out.some(([k]) => k === v))} set earlier in the same instruction (Docker reads its old value)`;
    out.push([p.getName(), value]);
  }
  return out;
}

const commandValue = (text: string): string | string[] => execForm(text) ?? text;
const port = (p: string): string | number => (/^\d+$/.test(p) ? Number(p) : p);

/** Maps one stage-body instruction (not FROM) to the stage model. */
export function mapInstruction(instruction: Instruction, lookup: StageLookup): Item {
  const keyword = instruction.getKeyword();
  const line = instruction.getRange().start.line + 1;
  const step = (s: Doc | string, defines: string[] = []): Item =>
    typeof s === 'string' ? refuse(instruction, `${s} has no form in stages.yaml`) : { kind: 'step', step: s, line, defines };
  const meta = (field: Extract<Item, { kind: 'meta' }>['field'], value: unknown, text = argumentText(instruction)): Item => ({ kind: 'meta', field, value, line, uses: variablesIn(text) });
  const text = argumentText(instruction);
  switch (keyword) {
    case 'RUN':
      return step(runStep(instruction, lookup));
    case 'COPY':
    case 'ADD':
      return step(copyStep(instruction, lookup));
    case 'ENV':
    case 'ARG': {
      const p = pairs(instruction);
      if (typeof p === 'string') return refuse(instruction, p, 'split it into two ENV instructions');
      if (keyword === 'ENV' && p.some(([, v]) => v === null)) return refuse(instruction, 'ENV without a value');
      return step({ [keyword.toLowerCase()]: Object.fromEntries(p) }, p.map(([k]) => k));
    }
    case 'WORKDIR':
      return step({ workdir: text });
    case 'USER':
      return step({ user: text });
    case 'SHELL': {
      const shell = execForm(text);
      return shell && shell.length > 0 ? step({ shell }) : refuse(instruction, 'SHELL must be a JSON array');
    }
    case 'VOLUME': {
      const paths = execForm(text) ?? instruction.getArguments().map((a) => a.getValue());
      return step({ volume: paths });
    }
    case 'EXPOSE':
      return meta('expose', instruction.getArguments().map((a) => port(a.getValue())));
    case 'LABEL': {
      const p = pairs(instruction);
      return typeof p === 'string' ? refuse(instruction, p) : meta('labels', Object.fromEntries(p));
    }
    case 'STOPSIGNAL':
      return meta('stopsignal', text);
    case 'ENTRYPOINT':
    case 'CMD':
      return meta(keyword.toLowerCase() as 'cmd', commandValue(text));
    case 'HEALTHCHECK':
      return healthcheck(instruction, meta);
    case 'ONBUILD': {
      const trigger = (instruction as unknown as { getTriggerInstruction(): Instruction | null }).getTriggerInstruction();
      if (!trigger) return refuse(instruction, 'ONBUILD without an instruction');
      if (['FROM', 'ONBUILD', 'MAINTAINER'].includes(trigger.getKeyword())) return refuse(instruction, `ONBUILD ${trigger.getKeyword()} is not allowed (Docker refuses it too)`);
      const inner = mapInstruction(trigger, lookup);
      if (inner.kind !== 'step') return inner.kind === 'refuse' ? inner : refuse(instruction, `ONBUILD ${trigger.getKeyword()} has no form in stages.yaml`);
      return meta('onbuild', inner.step);
    }
    case 'MAINTAINER':
      return refuse(instruction, 'MAINTAINER has no form in stages.yaml (it is deprecated)', 'write LABEL org.opencontainers.image.authors="..." instead, then import again');
    default:
      return refuse(instruction, `${keyword || instruction.getInstruction()} is not a Dockerfile instruction stagec knows`);
  }
}

function healthcheck(instruction: Instruction, meta: (f: 'healthcheck', v: unknown, t?: string) => Item): Item {
  const text = argumentText(instruction);
  if (/^none$/i.test(text)) return meta('healthcheck', 'none');
  const match = /^cmd\s+([\s\S]*)$/i.exec(text);
  if (!match) return refuse(instruction, 'HEALTHCHECK needs CMD or NONE');
  const value: Doc = { test: commandValue(match[1]!.trim()) };
  const names: Record<string, string> = { interval: 'interval', timeout: 'timeout', 'start-period': 'startPeriod', 'start-interval': 'startInterval', retries: 'retries' };
  for (const flag of flags(instruction)) {
    const key = names[flag.getName().toLowerCase()];
    const v = flag.getValue() ?? '';
    if (!key) return refuse(instruction, `HEALTHCHECK --${flag.getName()} has no form in stages.yaml`);
    value[key] = key === 'retries' && /^\d+$/.test(v) ? Number(v) : v;
  }
  return meta('healthcheck', value, text);
}


