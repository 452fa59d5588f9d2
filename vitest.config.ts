import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['emulator/**/*.test.ts', 'client/**/*.test.ts', 'conformance/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    globalSetup: ['test/global-setup.ts'],
  },
});
