import { DEFAULT_MAX_CONFIG_SIZE } from '@stagec/core';
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
  /** Stages whose success is a pure function of their inputs, so Nx may cache them. Default: each service's build.cacheOnly (itself default test, lint, check). */
  cacheableStages?: string[];
  /** How targets call stagec (Nx puts node_modules/.bin on the PATH of commands). Default: "stagec". */
  stagecCommand?: string;
  /** Engine for `stagec build --engine`. Default: stagec's default (docker). */
  engine?: string;
  /**
   * true: stages.yaml is an input of every dockerfile target, so any edit of it affects every
   * service (for workspaces that do not commit the generated Dockerfiles). Default false: an edit
   * of stages.yaml affects the services whose committed Dockerfile it changes.
   */
  stagesYamlInput?: boolean;
  /** Refuse a stages.yaml larger than this many bytes (FILE_TOO_LARGE), as the CLI's --max-config-size. */
  maxConfigSize?: number;
}

export type NormalizedOptions = Required<Omit<StagecNxOptions, 'engine' | 'cacheableStages'>> & { engine?: string; cacheableStages?: string[] };

const KNOWN = ['config', 'targetName', 'separator', 'dockerfileTargetName', 'cacheableStages', 'stagecCommand', 'engine', 'stagesYamlInput', 'maxConfigSize'];

export function normalizeOptions(options: StagecNxOptions | undefined): NormalizedOptions {
  const unknown = Object.keys(options ?? {}).filter((key) => !KNOWN.includes(key));
  if (unknown.length) throw new Error(`@stagec/nx: unknown option ${unknown.map((k) => `"${k}"`).join(', ')} in nx.json (known: ${KNOWN.join(', ')})`);
  const config = (options?.config ?? 'stages.yaml').replace(/^\.\//, '');
  if (!/\.ya?ml$/.test(config)) throw new Error(`@stagec/nx: the "config" option must name a .yaml or .yml file, got "${config}"`);
  return {
    config: (options?.config ?? 'stages.yaml').replace(/^\.\//, ''),
    targetName: options?.targetName ?? 'image',
    separator: options?.separator ?? ':',
    dockerfileTargetName: options?.dockerfileTargetName ?? 'dockerfile',
    ...(options?.cacheableStages ? { cacheableStages: options.cacheableStages } : {}),
    stagecCommand: options?.stagecCommand ?? 'stagec',
    ...(options?.engine ? { engine: options.engine } : {}),
    stagesYamlInput: options?.stagesYamlInput === true,
    maxConfigSize: options?.maxConfigSize ?? DEFAULT_MAX_CONFIG_SIZE,
  };
}
