import { writeAtomic } from '../write';

/**
 * The one place import and init write their stages.yaml: through the atomic write path, so a
 * reader never sees half a file. Returns why it failed, or undefined.
 */
export function writeOutput(absolute: string, text: string): string | undefined {
  try {
    writeAtomic(absolute, text);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}
