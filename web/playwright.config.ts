import { defineConfig, devices } from '@playwright/test';

// Browser tests drive the real gatehouse binary (started by e2e/global-setup.ts on a free port
// with a fresh SQLite file) in Debian's Chromium: browsers cannot be downloaded here, so
// Playwright never installs its own.
export default defineConfig({
  testDir: './e2e',
  globalSetup: './e2e/global-setup.ts',
  fullyParallel: true,
  workers: 2,
  forbidOnly: process.env.CI !== undefined,
  retries: 0,
  // Generous: a 2-core machine shared with other work can be slow; passing tests stay fast.
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list'], ['json', { outputFile: 'test-results/results.json' }]],
  outputDir: 'test-results/artifacts',
  projects: [
    { name: 'chromium', testIgnore: /timing\.spec\.ts/ },
    { name: 'timing', testMatch: /timing\.spec\.ts/, dependencies: ['chromium'] },
  ],
  use: {
    ...devices['Desktop Chrome'],
    viewport: { width: 1280, height: 800 },
    colorScheme: 'light',
    locale: 'en-US',
    timezoneId: 'UTC',
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
});
