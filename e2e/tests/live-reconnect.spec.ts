import { expect, test } from '../fixtures/test.ts';

test('the live feed shows a lost server and reconnects by itself when it is back', async ({ page, zeitgeber }) => {
  await page.goto('/');
  const live = page.locator('.live');
  await expect(live).toHaveText('Live');
  await expect(page.locator('.stat').filter({ hasText: 'Health' })).toContainText('Healthy');

  await zeitgeber.stop();
  await expect(live).toHaveText('Reconnecting…');

  await zeitgeber.restart();
  await expect(live).toHaveText('Live', { timeout: 20_000 });
  await expect(page.locator('.banner--warning')).toHaveCount(0, { timeout: 20_000 });
});
