import type { Diagnostic, DiagnosticCode, RelatedLocation, Severity } from '../diagnostics';
import type { SourceIndex, YamlPath } from '../load';
import type { StagecStagesYaml } from '../generated/types';

export interface ReportOptions {
  key?: boolean;
  /** Narrow the range to this text where it appears in the node's source (an expression inside a string). */
  within?: string;
  hint?: string;
  severity?: Severity;
  related?: { path: YamlPath; message: string; key?: boolean }[];
}

/** What every resolver step shares: the typed document, its positions, and the diagnostics sink. */
export class ResolveContext {
  readonly diagnostics: Diagnostic[] = [];
  private readonly seen = new Set<string>();

  constructor(
    readonly config: StagecStagesYaml,
    readonly source: SourceIndex,
  ) {}

  report(code: DiagnosticCode, message: string, path: YamlPath, options: ReportOptions = {}): void {
    const position = this.source.position(path, { key: options.key ?? false, ...(options.within ? { within: options.within } : {}) });
    // The same finding reached through two services (a shared template) is reported once.
    const id = `${code}|${position.line}|${position.column}|${message}`;
    if (this.seen.has(id)) return;
    this.seen.add(id);
    const related: RelatedLocation[] | undefined = options.related?.map((r) => ({
      file: this.source.file,
      message: r.message,
      ...this.source.position(r.path, { key: r.key ?? false }),
    }));
    this.diagnostics.push({
      code,
      severity: options.severity ?? 'error',
      message,
      file: this.source.file,
      ...position,
      ...(options.hint ? { hint: options.hint } : {}),
      ...(related?.length ? { related } : {}),
    });
  }

  /** True the first time a key is seen: reports one finding once however many ways it is reached. */
  once(key: string): boolean {
    if (this.seen.has(key)) return false;
    this.seen.add(key);
    return true;
  }

  /** YAML numbers and booleans as the author wrote them, everything else as a string. */
  text(value: unknown, path: YamlPath): string {
    if (typeof value === 'string') return value;
    return this.source.scalarText(path) ?? String(value);
  }
}
