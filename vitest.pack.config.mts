import { defineConfig } from 'vitest/config';

// What `npm pack` ships, installed into an empty folder (npm run test:pack; it needs the npm
// registry, so it stays out of the fast `npm test`).
export default defineConfig({
  test: {
    include: ['test/pack/**/*.test.ts'],
    testTimeout: 5 * 60_000,
    hookTimeout: 10 * 60_000,
  },
});
