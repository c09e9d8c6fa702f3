import type { LintRule } from '../types';
import { hasVariables } from '../images';

const TARGET_PLATFORM = /^\$(\{TARGETPLATFORM\}|TARGETPLATFORM)$/;

export const platformConstant: LintRule = {
  code: 'PLATFORM_CONSTANT',
  kind: 'lint',
  severity: 'warning',
  title: 'a stage pinned to one constant platform',
  doc: "`platform: linux/amd64` emits `FROM --platform=linux/amd64`: the stage is that platform in every build, so a multi-platform build (`platforms: [linux/amd64, linux/arm64]`) ships an amd64 binary in the arm64 image, or runs the stage under emulation. Use `$BUILDPLATFORM` for a stage that should run natively and cross-compile (with `$TARGETOS`/`$TARGETARCH` in its commands). A stage whose name says its platform (`build-amd64`) is taken as deliberate and not reported. As BuildKit's FromPlatformFlagConstDisallowed check.",
  bad: 'stages:\n  build: { from: "golang:1.23", platform: linux/amd64 }',
  good: 'stages:\n  build: { from: "golang:1.23", platform: $BUILDPLATFORM }',
  check(ctx) {
    for (const stage of ctx.service.stages) {
      const platform = stage.platform;
      if (!platform || hasVariables(platform.value)) continue;
      // BuildKit accepts a constant when the stage name carries the platform's OS or architecture.
      const parts = platform.value.split('/').filter(Boolean);
      if (parts.some((p) => stage.name.includes(p))) continue;
      ctx.report({
        path: platform.origin.path,
        message: `stage "${stage.name}" is always built for ${platform.value}, whatever platform the build is for`,
        hint: 'use $BUILDPLATFORM (cross-compile with $TARGETARCH), or drop platform:',
        stage,
        chain: platform.origin.chain,
      });
    }
  },
};

export const platformRedundant: LintRule = {
  code: 'PLATFORM_REDUNDANT',
  kind: 'lint',
  severity: 'warning',
  title: 'platform: $TARGETPLATFORM is the default',
  doc: "Every stage is built for the target platform unless it says otherwise, so `platform: $TARGETPLATFORM` only adds noise (and reads as if it changed something). Remove it; `$BUILDPLATFORM` is the value that changes behaviour. As BuildKit's RedundantTargetPlatform check.",
  bad: 'stages:\n  runtime: { from: "alpine:3.20", platform: $TARGETPLATFORM }',
  good: 'stages:\n  runtime: { from: "alpine:3.20" }',
  check(ctx) {
    for (const stage of ctx.service.stages) {
      const platform = stage.platform;
      if (!platform || !TARGET_PLATFORM.test(platform.value.trim())) continue;
      ctx.report({
        path: platform.origin.path,
        message: `platform ${platform.value} is what stage "${stage.name}" is built for anyway`,
        hint: 'remove platform:',
        stage,
        chain: platform.origin.chain,
      });
    }
  },
};
