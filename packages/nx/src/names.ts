import type { ServiceSummary } from './summary';
import type { NormalizedOptions } from './options';

/**
 * Target and project names Nx could misread. Nx splits `project:target:configuration` on every
 * `:` and takes the longest project name it knows, then the longest target name of that
 * project, and reads what is left as a configuration; when the project is not found exactly,
 * it falls back to the first segment as project and the last as configuration. So a `:` in a
 * project name, or in `targetName`/`dockerfileTargetName`, or two generated targets with the
 * same name, make `nx run <project>:<target>` mean something else than written. Returns one
 * message per problem (empty when all names read back unambiguously).
 */
export function misreadNames(services: readonly ServiceSummary[], options: NormalizedOptions, names: ReadonlyMap<string, string>): string[] {
  const problems: string[] = [];
  for (const [option, value] of [['targetName', options.targetName], ['dockerfileTargetName', options.dockerfileTargetName]] as const) {
    if (!value) problems.push(`option ${option} is empty`);
    else if (value.includes(':')) problems.push(`option ${option} "${value}" contains ":", which Nx reads as the separator of project, target and configuration`);
  }
  if (options.targetName === options.dockerfileTargetName) problems.push(`options targetName and dockerfileTargetName are both "${options.targetName}"`);
  for (const service of services) {
    const project = names.get(service.name) ?? service.name;
    if (project.includes(':')) {
      problems.push(`project "${project}" (service "${service.name}") has ":" in its name: Nx would read \`nx run ${project}:${options.targetName}\` as project "${project.split(':')[0]}"; rename the project`);
    }
    for (const stage of service.stages) {
      const target = `${options.targetName}${options.separator}${stage.name}`;
      if (target === options.dockerfileTargetName || target === options.targetName) {
        problems.push(`stage "${stage.name}" of service "${service.name}" makes target "${target}", the same name as another target of project "${project}"; choose another targetName, separator or dockerfileTargetName`);
      }
    }
  }
  return problems;
}
