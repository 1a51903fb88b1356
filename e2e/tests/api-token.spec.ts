import { expect, test } from '@playwright/test';
import { checkPage } from '../fixtures/page-checks.ts';
import { startZeitgeber, type ZeitgeberServer } from '../fixtures/zeitgeber-server.ts';

const API_TOKEN = 'e2e-read-write-token-0123456789';
const TOKEN_PAGE = { name: 'This Zeitgeber needs an API token' };

let zeitgeber: ZeitgeberServer;

test.beforeAll(async () => {
  zeitgeber = await startZeitgeber({ API_TOKEN });
});

test.afterAll(async () => {
  await zeitgeber.dispose();
});

test('a server with an API token: the dashboard asks for it, refuses a wrong one and works with the right one', async ({ page }) => {
  await page.goto(`${zeitgeber.url}/`);
  await expect(page.getByRole('heading', TOKEN_PAGE)).toBeVisible();
  await checkPage(page, 'api-token');

  const field = page.getByLabel('API token', { exact: true });
  await field.fill('not-the-token-0123456789');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toHaveText('This token was not accepted. Check it and try again.');
  await expect(page.getByRole('heading', TOKEN_PAGE)).toBeVisible();

  await field.fill(API_TOKEN);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Overview' })).toBeVisible();
  await expect(page.locator('.stat').filter({ hasText: 'Health' })).toContainText('Healthy');
  await expect(page.locator('.live')).toHaveText('Live');

  // Kept for the tab: a reload goes straight back to the dashboard, with the live feed up.
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Overview' })).toBeVisible();
  await expect(page.locator('.live')).toHaveText('Live');

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('heading', TOKEN_PAGE)).toBeVisible();
  await page.reload();
  await expect(page.getByRole('heading', TOKEN_PAGE)).toBeVisible();
});
