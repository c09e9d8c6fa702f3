import { parseFamiliarName } from '@swimlane/docker-reference';

/** An image reference, normalised as Docker normalises it (`debian` is docker.io/library/debian:latest). */
export interface ImageName {
  /** The registry host as Docker names it: `docker.io` for Docker Hub, else `host[:port]`. */
  domain: string;
  /** The repository path inside the registry (`library/debian`). */
  repository: string;
  /** The tag; `latest` when none is written. */
  tag: string;
  /** A digest already written in the reference (`@sha256:...`). */
  digest?: string;
  /** `docker.io/library/debian:bookworm-slim`: how stages.lock records it. */
  canonical: string;
}

export const DIGEST = /^sha256:[a-f0-9]{64}$/;

/** `$X` or `${X}` anywhere: a build-arg could change the image, so it is never pinned. */
export const hasVariables = (reference: string): boolean => reference.includes('$');

/** The distribution/reference grammar (through a faithful port of Docker's parser); an Error for what Docker would refuse. */
export function parseImageName(reference: string): ImageName | Error {
  try {
    const parsed = parseFamiliarName(reference);
    const domain = parsed.domain ?? '';
    const repository = parsed.repository ?? '';
    const tag = parsed.tag ?? 'latest';
    return { domain, repository, tag, ...(parsed.digest ? { digest: parsed.digest } : {}), canonical: `${domain}/${repository}:${tag}` };
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}
