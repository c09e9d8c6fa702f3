import { parse } from 'yaml';

/** Bytes of Dockerfiles as the measure counts them: without comment lines and blank lines. */
export function dockerfileBytes(text: string): number {
  return Buffer.byteLength(
    text
      .split('\n')
      .filter((line) => line.trim() !== '' && !line.trimStart().startsWith('#'))
      .map((line) => `${line}\n`)
      .join(''),
  );
}

/** Bytes of a stages.yaml as the measure counts them: its content as compact JSON. */
export const stagesBytes = (yamlText: string): number => Buffer.byteLength(JSON.stringify(parse(yamlText)));
