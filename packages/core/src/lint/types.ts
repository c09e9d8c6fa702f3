import type { Diagnostic, DiagnosticCode, Severity } from '../diagnostics';
import type { StagecStagesYaml } from '../generated/types';
import type { SourceIndex, YamlPath } from '../load';
import type { ResolvedProject, ResolvedService, ResolvedStage } from '../resolve';

/** The keys of the `policy` block that produce findings (nonRootImages only qualifies requireNonRootRuntime). */
export type PolicyKey = 'allowedRegistries' | 'requireDigests' | 'requireNonRootRuntime' | 'requiredLabels' | 'forbidLatest';

/** A lint finding: a diagnostic at the stages.yaml value that caused it, with the services it affects. */
export interface LintFinding extends Diagnostic {
  /** `lint` rules can be silenced with `lint.ignore`; `policy` findings cannot. */
  kind: 'lint' | 'policy';
  /** The YAML path of the value the finding points at, dotted (`stages.apt-toolchain.steps.0.run`). */
  path: string;
  /** Every service whose Dockerfile the value reaches, sorted. */
  services: string[];
  /** The template chain as `stagec explain` prints it, for the first service. */
  chain: readonly string[];
}

/** What a rule reports: where, what and how to fix it; the engine adds position, services and chain. */
export interface Report {
  path: YamlPath;
  /** Narrow the range to this text inside the value (a command inside a RUN). */
  within?: string;
  /** Point at the mapping key instead of the value (a missing label: the service's name). */
  key?: boolean;
  message: string;
  hint: string;
  /** The stage the value was found in, for `lint.ignore` on stages; absent for service-wide findings. */
  stage?: ResolvedStage;
  chain?: readonly string[];
}

export interface RuleContext {
  config: StagecStagesYaml;
  project: ResolvedProject;
  source: SourceIndex;
  service: ResolvedService;
  report(finding: Report): void;
}

export interface LintRule {
  code: DiagnosticCode;
  kind: 'lint' | 'policy';
  /** For policy rules: the `policy` key that switches it on and sets its severity. */
  policy?: PolicyKey;
  /** Lint rules: warning unless documented otherwise; policy: error unless `policy.severity` says warning. */
  severity: Severity;
  /** One line, for tables and `--format github` titles. */
  title: string;
  /** One paragraph for docs/lint.md: why it matters and what to write instead. */
  doc: string;
  /** Examples for docs/lint.md: a stages.yaml fragment that triggers it and one that does not. */
  bad: string;
  good: string;
  /** Runs once per service; dedupe across services is the engine's job. */
  check(ctx: RuleContext): void;
}
