import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// End-to-end builds against a real engine; run through scripts/e2e/run.sh (npm run test:e2e).
export default defineConfig({
  resolve: { alias: { '@stagec/core': fileURLToPath(new URL('./packages/core/src/index.ts', import.meta.url)) } },
  test: {
    include: ['test/e2e/**/*.test.ts'],
    testTimeout: 30 * 60_000,
    hookTimeout: 30 * 60_000,
    fileParallelism: false,
    sequence: { concurrent: false },
  },
});
