import '@testing-library/jest-dom/vitest';
import { cleanup, configure } from '@testing-library/react';
import { afterEach } from 'vitest';

// findBy*/waitFor give up after 1 s by default. `make test` runs these files in parallel with the
// Go race tests on a 2-core machine, where a page that renders in 50 ms alone has been seen to
// take over a second (CI failed on session-pages.test.tsx that way). A longer patience costs
// nothing when the page renders and only delays the report when it really does not.
configure({ asyncUtilTimeout: 5000 });

afterEach(() => {
  cleanup();
});
