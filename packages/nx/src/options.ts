/** Plugin options, from nx.json: `{"plugin": "@stagec/nx", "options": {...}}`. */
export interface StagecNxOptions {
  /** stages.yaml to read, relative to the workspace root. Default: stages.yaml. */
  config?: string;
  /** Name of the default-target image target; stage targets are `<targetName><separator><stage>`. Default: image. */
  targetName?: string;
  /** Default: ":" (so `nx run api:image:test` and `nx affected -t image:test`). */
  separator?: string;
  /** Name of the target that compiles the Dockerfile. Default: dockerfile. */
  dockerfileTargetName?: string;
  /** Stages whose success is a pure function of their inputs, so Nx may cache them. Default: test, lint, check. */
  cacheableStages?: string[];
  /** How targets call stagec. Default: "npx stagec". */
  stagecCommand?: string;
  /** Engine for `stagec build --engine`. Default: stagec's default (docker). */
  engine?: string;
}

export type NormalizedOptions = Required<Omit<StagecNxOptions, 'engine'>> & { engine?: string };

export function normalizeOptions(options: StagecNxOptions | undefined): NormalizedOptions {
  return {
    config: options?.config ?? 'stages.yaml',
    targetName: options?.targetName ?? 'image',
    separator: options?.separator ?? ':',
    dockerfileTargetName: options?.dockerfileTargetName ?? 'dockerfile',
    cacheableStages: options?.cacheableStages ?? ['test', 'lint', 'check'],
    stagecCommand: options?.stagecCommand ?? 'npx stagec',
    ...(options?.engine ? { engine: options.engine } : {}),
  };
}
