import { noControl, withoutVariables, type Refuse } from './refusal';

// The reference grammar of distribution/reference, which Docker and BuildKit parse FROM with.
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = `${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*(?::[0-9]+)?`;
const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|[-]*)[a-z0-9]+)*';
const NAME = `(?:${DOMAIN}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*`;
const TAG = '[\\w][\\w.-]{0,127}';
const DIGEST = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9A-Fa-f]{32,}';
const REFERENCE = new RegExp(`^${NAME}(?::${TAG})?(?:@${DIGEST})?$`);
const NAME_ONLY = new RegExp(`^${NAME}$`);

const HINT = 'an image reference is [registry/]name[:tag][@sha256:digest], lowercase name, no spaces or quotes; ${VAR} is allowed';

/**
 * An image reference (FROM, COPY --from, a bind mount's from, `# syntax=`): checked against the
 * reference grammar with Docker variables standing in for any valid part. Returns it unchanged.
 */
export function imageReference(value: string, refuse: Refuse, what = 'the image reference'): string {
  if (!noControl(value, what, refuse)) return value;
  if (!REFERENCE.test(withoutVariables(value))) {
    refuse({ code: 'INVALID_IMAGE_REFERENCE', message: `${what} "${value}" is not a valid image reference`, hint: HINT, value });
  }
  return value;
}

/** `registry` and `image` of a service: a name without tag or digest (stagec appends `:<tag>`). */
export function imageName(value: string, refuse: Refuse, what: 'registry' | 'image'): string {
  if (!noControl(value, what, refuse)) return value;
  // A registry is a prefix (`localhost:5000`, `ghcr.io/acme`): valid when a name can follow it.
  const name = withoutVariables(value.replace(/\/+$/, '')) + (what === 'registry' ? '/x' : '');
  if (!NAME_ONLY.test(name)) {
    refuse({
      code: 'INVALID_IMAGE_REFERENCE',
      message: `${what} "${value}" is not a valid image name`,
      hint: 'a name is [registry[:port]/]path, lowercase, without a tag (set `tag:` for that)',
      value,
    });
  }
  return value;
}
