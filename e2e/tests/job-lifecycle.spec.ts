import { checkPage, publishScreenshot, saveScreenshot } from '../fixtures/page-checks.ts';
import { expect, test } from '../fixtures/test.ts';

/** Longer than two periods of the every-2-seconds schedule: a paused job must stay silent through it. */
const PAUSE_WINDOW_MS = 4_500;

test('a job from creation to deletion, followed live in the dashboard', async ({ page, target }) => {
  const api = `${target.url}/tick`;
  const failingApi = `${target.url}/fail`;
  let documentLoads = 0;
  page.on('load', () => {
    documentLoads += 1;
  });

  await test.step('the empty dashboard', async () => {
    await page.goto('/');
    await expect(page.getByRole('heading', { name: 'Overview' })).toBeVisible();
    await expect(page.locator('.live')).toHaveText('Live');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Jobs' }).click();
    await expect(page.getByText('No jobs yet')).toBeVisible();
  });

  await test.step('create a job with the form, the cron previewed as it is typed', async () => {
    await page.getByRole('link', { name: 'New job' }).click();
    await expect(page.getByRole('heading', { name: 'New job' })).toBeVisible();
    await page.getByLabel('Target URL').fill(api);
    const schedule = page.getByLabel('Schedule (cron)');
    await schedule.fill('* * *');
    await expect(page.locator('#job-schedule-error')).toContainText('has 3 fields');
    await schedule.fill('* * * * * *');
    await expect(page.locator('.schedule-preview__description')).toHaveText('Every second');
    await expect(page.locator('.schedule-preview__times li')).toHaveCount(5);
    await page.getByLabel('Timeout (ms) (optional)').fill('5000');
    const advanced = page.getByRole('button', { name: /^Advanced/ });
    await expect(advanced).toHaveAttribute('aria-expanded', 'false');
    await expect(advanced).toContainText('all defaults');
    await advanced.click();
    await expect(page.getByRole('radio', { name: /^Run the latest once \(default\)/ })).toBeChecked();
    await expect(page.getByLabel('Success status codes')).toHaveValue('200-299');
    await checkPage(page, 'job-new');
    await page.getByRole('button', { name: 'Create job' }).click();
    await expect(page).toHaveURL(/\/jobs\/[^/]+$/);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(api);
  });

  const jobUrl = page.url();
  const loadsBeforeLive = documentLoads;

  await test.step('executions stream into the history without a reload', async () => {
    const succeeded = page.locator('tr[data-outcome="SUCCEEDED"]');
    await expect(succeeded.nth(2)).toBeVisible();
    await expect(succeeded.nth(4)).toBeVisible();
    expect(documentLoads).toBe(loadsBeforeLive);
    expect(target.calls.filter((call) => call.path === '/tick').length).toBeGreaterThanOrEqual(5);
  });

  await test.step('edit the schedule', async () => {
    await page.getByRole('link', { name: 'Edit' }).click();
    await expect(page.getByRole('heading', { name: 'Edit job' })).toBeVisible();
    await page.getByLabel('Schedule (cron)').fill('*/2 * * * * *');
    await expect(page.locator('.schedule-preview__description')).toHaveText('Every 2 seconds');
    await saveScreenshot(page, 'job-edit');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expect(page).toHaveURL(jobUrl);
    await expect(page.locator('.page-header__subtitle code')).toHaveText('*/2 * * * * *');
  });

  await test.step('pause it: no more fires until resumed', async () => {
    await page.getByRole('button', { name: 'Pause' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Paused: no more fires' })).toBeVisible();
    const pausedAt = Date.now();
    await expect(page.getByRole('button', { name: 'Resume' })).toBeVisible();
    // Absence cannot be awaited: wait out more than two periods of the schedule, then look.
    await page.waitForTimeout(PAUSE_WINDOW_MS);
    expect(target.calls.filter((call) => call.path === '/tick' && call.at > pausedAt)).toEqual([]);

    await page.getByRole('button', { name: 'Run now' }).click();
    await expect(page.locator('tr[data-outcome="SUCCEEDED"]').filter({ hasText: 'Manual' })).toBeVisible();
    expect(target.calls.filter((call) => call.path === '/tick' && call.at > pausedAt)).toHaveLength(1);
  });

  await test.step('point it at a failing target: the failure stands out', async () => {
    await page.getByRole('link', { name: 'Edit' }).click();
    await page.getByLabel('Target URL').fill(failingApi);
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(failingApi);
    await page.getByRole('button', { name: 'Resume' }).click();
    const failed = page.locator('tr[data-outcome="FAILED"]').first();
    await expect(failed).toBeVisible();
    await expect(failed).toContainText('500');
    // At least once, three attempts by default: the failures are retried, and the retries say so.
    await expect(page.getByRole('region', { name: 'Specification' })).toContainText('3 (the first call and up to 2 retries)');
    await expect(page.locator('tr[data-outcome="FAILED"]').filter({ hasText: 'attempt 2' }).first()).toBeVisible();
    await expect(page.locator('tr[data-outcome="SUCCEEDED"]').first()).toBeVisible();
    await checkPage(page, 'job-detail');
    await publishScreenshot(page, 'job-detail.png');
  });

  await test.step('the failure shows in the failures view', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Failures' }).click();
    // Once the origin's circuit opens, the newest failures are refusals without a status: look for a call that got its 500.
    const card = page.locator('.failure').filter({ hasText: 'Failed · 500' }).first();
    await expect(card.getByRole('link', { name: failingApi })).toBeVisible();
    await checkPage(page, 'failures');
  });

  await test.step('the jobs table and the overview show it', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Jobs' }).click();
    const row = page.getByRole('row').filter({ has: page.getByRole('link', { name: failingApi }) });
    await expect(row).toContainText('Every 2 seconds');
    await expect(row.getByRole('img', { name: /Last \d+ runs: \d+ succeeded, \d+ failed/ })).toBeVisible();
    await checkPage(page, 'jobs');
    await page.setViewportSize({ width: 390, height: 844 });
    await saveScreenshot(page, 'jobs-phone');
    await page.setViewportSize({ width: 1366, height: 900 });

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Overview' }).click();
    await expect(page.locator('.stat').filter({ hasText: 'Failed' }).locator('.stat__value')).not.toHaveText('0');
    await expect(page.getByRole('img', { name: /Executions per second/ })).toBeVisible();
    await checkPage(page, 'overview');
  });

  await test.step('audit its occurrences: none missing; a backfill is offered as a dry run first', async () => {
    await page.goto(jobUrl);
    const audit = page.getByRole('region', { name: 'Occurrence audit' });
    await audit.getByRole('radio', { name: 'Last 24 hours' }).check();
    await audit.getByRole('button', { name: 'Check occurrences' }).click();
    const occurrences = audit.getByRole('table', { name: /Occurrences in the window/ });
    await expect(occurrences.locator('tbody tr').first()).toBeVisible();
    await expect(occurrences.locator('tr[data-outcome="MISSING"]')).toHaveCount(0);
    await expect(audit.locator('.stat').filter({ hasText: 'Unaccounted' }).locator('.stat__value')).toHaveText('0');
    await audit.getByRole('button', { name: 'Backfill this window…' }).click();
    await expect(audit.getByText(/would run, oldest first:|^Nothing to backfill/)).toBeVisible();
    await checkPage(page, 'job-audit');
  });

  await test.step('delete it, after confirming', async () => {
    await page.goto(jobUrl);
    await page.getByRole('button', { name: 'Delete' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete this job?' });
    await expect(dialog).toBeVisible();
    await checkPage(page, 'job-delete-dialog');
    await dialog.getByRole('button', { name: 'Delete job' }).click();
    await expect(page).toHaveURL(/\/jobs$/);
    await expect(page.getByText('No jobs yet')).toBeVisible();
  });
});
