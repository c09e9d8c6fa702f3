import type { LintRule } from './types';
import { addLocal } from './rules/add-local';
import { apkCache } from './rules/apk-cache';
import { aptInScript } from './rules/apt-in-script';
import { aptListsKept } from './rules/apt-lists-kept';
import { aptNoYes } from './rules/apt-no-yes';
import { aptRecommends } from './rules/apt-recommends';
import { cdInRun } from './rules/cd-in-run';
import { imageLatest } from './rules/image-latest';
import { imageUntagged } from './rules/image-untagged';
import { npmInstall } from './rules/npm-install';
import { pipCache } from './rules/pip-cache';
import { pipeWithoutPipefail } from './rules/pipefail';
import { platformConstant, platformRedundant } from './rules/platform-flag';
import { secretName } from './rules/secret-name';
import { shellFormCmd } from './rules/shell-form-cmd';
import { sudoInRun } from './rules/sudo';
import { policyDigest } from './policy/digests';
import { policyLabel } from './policy/labels';
import { policyLatest } from './policy/latest';
import { policyRegistry } from './policy/registries';
import { policyRootRuntime } from './policy/runtime-user';

/** Every lint rule and policy check, in the order docs/lint.md lists them (test/lint/docs.test.ts keeps docs/lint.md in step). */
export const LINT_RULES: readonly LintRule[] = [
  imageUntagged,
  imageLatest,
  aptNoYes,
  aptRecommends,
  aptListsKept,
  aptInScript,
  apkCache,
  pipCache,
  npmInstall,
  cdInRun,
  pipeWithoutPipefail,
  secretName,
  addLocal,
  sudoInRun,
  shellFormCmd,
  platformConstant,
  platformRedundant,
  policyRegistry,
  policyDigest,
  policyRootRuntime,
  policyLabel,
  policyLatest,
];
