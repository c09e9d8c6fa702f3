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
  /**
   * The service this finding is about: one finding at a shared template line reached through
   * several services is reported once, listing them all; `message` then gets their names.
   */
  service?: { name: string; message: (services: string) => string };
}

/** What every resolver step shares: the typed document, its positions, and the diagnostics sink. */
export class ResolveContext {
  readonly diagnostics: Diagnostic[] = [];
  /** How many times report() was called, duplicates included: a result built without one can be shared (shared.ts). */
  reports = 0;
  private readonly seen = new Set<string>();
  private readonly byService = new Map<string, Diagnostic>();

  constructor(
    readonly config: StagecStagesYaml,
    readonly source: SourceIndex,
  ) {}

  report(code: DiagnosticCode, message: string, path: YamlPath, options: ReportOptions = {}): void {
    this.reports++;
    const position = this.source.position(path, { key: options.key ?? false, ...(options.within ? { within: options.within } : {}) });
    // The same finding reached through two services (a shared template) is reported once.
    const id = `${code}|${position.line}|${position.column}|${message}`;
    const service = options.service;
    if (service) {
      const found = this.byService.get(id);
      if (found) {
        if (!found.services!.includes(service.name)) found.services!.push(service.name);
        found.message = service.message(quoteList(found.services!));
        return;
      }
    }
    if (this.seen.has(id)) return;
    this.seen.add(id);
    const related: RelatedLocation[] | undefined = options.related?.map((r) => ({
      file: this.source.file,
      message: r.message,
      ...this.source.position(r.path, { key: r.key ?? false }),
    }));
    const diagnostic: Diagnostic = {
      code,
      severity: options.severity ?? 'error',
      message: service ? service.message(quoteList([service.name])) : message,
      file: this.source.file,
      ...position,
      ...(options.hint ? { hint: options.hint } : {}),
      ...(related?.length ? { related } : {}),
      ...(service ? { services: [service.name] } : {}),
    };
    this.diagnostics.push(diagnostic);
    if (service) this.byService.set(id, diagnostic);
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
    if (typeof value === 'number' || typeof value === 'boolean') return this.source.writtenText(value, path);
    return this.source.scalarText(path) ?? String(value);
  }
}

/** `service "api"`, `services "api", "web"`, `services "api", "web" and 3 more`. */
function quoteList(names: readonly string[]): string {
  const shown = names
    .slice(0, 3)
    .map((n) => `"${n}"`)
    .join(', ');
  return `${names.length === 1 ? 'service' : 'services'} ${shown}${names.length > 3 ? ` and ${names.length - 3} more` : ''}`;
}
