import { expect, test } from '@playwright/test';
import { launchEngine } from '../../lib/measure/engines/launch.ts';

// Your server's configs in one worker share one Firefox, each session in a context of its own
// (lib/measure/engines/playwright-engine.ts sharedFirefox): a session that ends takes only its context, and the
// browser ends with the last session in it. A session launched without sharing keeps a browser of its own.
test('shared Firefox sessions: closing one leaves the other running; the browser ends with the last', async () => {
  test.setTimeout(60_000);
  const first = await launchEngine('firefox', { shareBrowser: true });
  const second = await launchEngine('firefox', { shareBrowser: true });
  const own = await launchEngine('firefox', {});
  try {
    await first.close();
    // Still the same browser under the second session: it answers and navigates.
    expect(await first.whatDied()).toBeUndefined();
    await second.visit('about:blank');
    await own.close();
    expect(await own.whatDied()).toContain('browser process is gone');
    expect(await second.whatDied()).toBeUndefined();
  } finally {
    await second.close();
    await own.close();
  }
  expect(await second.whatDied()).toContain('browser process is gone');
  expect(await first.whatDied()).toContain('browser process is gone');
});
