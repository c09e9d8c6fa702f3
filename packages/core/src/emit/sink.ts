import type { Origin } from '../resolve';
import type { EmitRefusal, EmittedLine } from './dockerfile';
import type { Refuse } from './tokens';

/**
 * Where an emission goes: the text lines always, the EmittedLine records when asked for. One
 * `refuse` serves the whole Dockerfile: `at(origin)` names the instruction its refusals belong
 * to (token functions call it synchronously, before the next `at`), instead of a new closure
 * per value.
 */
export class Sink {
  readonly texts: string[] = [];
  readonly refusals: EmitRefusal[] = [];
  /** The stage whose lines are being written; undefined before the first. */
  stage: string | undefined;
  private origin: Origin | undefined;
  readonly refuse: Refuse = (r) => {
    this.refusals.push({ ...r, origin: this.origin! });
  };

  constructor(readonly lines: EmittedLine[] | undefined) {}

  at(origin: Origin): Refuse {
    this.origin = origin;
    return this.refuse;
  }

  push(text: string, origin?: Origin): void {
    this.texts.push(text);
    if (this.lines === undefined) return;
    // Two fixed shapes, the keys in the order explain and the golden files have always seen.
    if (this.stage === undefined) this.lines.push(origin ? { text, origin } : { text });
    else this.lines.push(origin ? { text, origin, stage: this.stage } : { text, stage: this.stage });
  }
}
