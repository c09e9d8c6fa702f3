import { describe, expect, it } from 'vitest';
import { stagec, workspace } from './harness';

const YAML = `version: 1
services:
  base:
    path: base
    stages:
      runtime: { from: debian, env: { A: $BASE_UNDEFINED } }
  cart:
    path: cart
    stages:
      runtime: { from: { service: base, stage: runtime }, env: { B: $CART_UNDEFINED } }
  other:
    path: other
    stages:
      runtime: { from: debian, env: { C: $OTHER_UNDEFINED } }
`;

describe('plan and build print only the warnings of the services they build', () => {
  const root = workspace({ 'stages.yaml': YAML, 'base/x': '', 'cart/x': '', 'other/x': '' });

  it('plan cart: cart and the base it builds on, not other', async () => {
    await stagec(root, 'compile'); // plan refuses missing Dockerfiles as a build does (#17)
    const result = await stagec(root, 'plan', 'cart');
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('$CART_UNDEFINED');
    expect(result.stderr).toContain('$BASE_UNDEFINED');
    expect(result.stderr).not.toContain('$OTHER_UNDEFINED');
    expect(result.stderr).toContain('(service "cart")');
  });

  it('build other --dry-run: only other', async () => {
    await stagec(root, 'compile');
    const result = await stagec(root, 'build', 'other', '--dry-run');
    expect(result.stderr).toContain('$OTHER_UNDEFINED');
    expect(result.stderr).not.toContain('$CART_UNDEFINED');
  });

  it('plan (all) and validate print them all', async () => {
    for (const args of [['plan'], ['validate']]) {
      const result = await stagec(root, ...args);
      for (const name of ['BASE', 'CART', 'OTHER']) expect(result.stderr).toContain(`$${name}_UNDEFINED`);
    }
  });
});
