import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Provider } from 'urql';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ErrorsByField } from '../../../utils/graphql-errors.ts';
import { PREVIEW_DEBOUNCE_MS } from '../api/use-schedule-preview.ts';
import { createTestClient, type GraphqlHandler } from '../../../testing/test-client.ts';
import { JobForm } from './job-form.tsx';
import { EMPTY_JOB_FORM, type JobFormValues } from './job-form-values.ts';
import { DEFAULT_POLICY_FORM } from './policy-form-values.ts';

const FIRE_TIMES = ['2026-11-26T23:00:00.000Z', '2026-11-27T00:00:00.000Z', '2026-11-27T01:00:00.000Z', '2026-11-27T02:00:00.000Z', '2026-11-27T03:00:00.000Z'];

/** Around the autumn change in Berlin: 02:30 local happens twice on 25 Oct 2026, and "30 2 * * *" with dstOverlap BOTH fires on both. */
const DST_FIRES = [
  { at: '2026-10-24T00:30:00.000Z', dst: null },
  { at: '2026-10-25T00:30:00.000Z', dst: 'REPEATED' },
  { at: '2026-10-25T01:30:00.000Z', dst: 'REPEATED' },
  { at: '2027-03-28T01:30:00.000Z', dst: 'SHIFTED' },
];

const previewHandler: GraphqlHandler = (variables) => {
  const expression = String(variables['expression']);
  if (expression.split(' ').length < 5) {
    return { data: { schedulePreview: { valid: false, error: `schedule "${expression}" has too few fields`, description: null, fires: [], warnings: [] } } };
  }
  if (expression === '30 2 * * *') {
    const warnings = ['Daylight saving time changes in Europe/Berlin affect this schedule'];
    return { data: { schedulePreview: { valid: true, error: null, description: 'At 02:30', fires: DST_FIRES, warnings } } };
  }
  const fires = FIRE_TIMES.map((at) => ({ at, dst: null }));
  return { data: { schedulePreview: { valid: true, error: null, description: `Described: ${expression}`, fires, warnings: [] } } };
};

type Submit = (values: JobFormValues) => Promise<ErrorsByField | null>;

function renderForm(onSubmit = vi.fn<Submit>(async () => null), initial: JobFormValues = EMPTY_JOB_FORM) {
  const { client, calls } = createTestClient({ SchedulePreview: previewHandler });
  render(
    <Provider value={client}>
      <JobForm initial={initial} submitLabel="Create job" onSubmit={onSubmit} onCancel={() => undefined} />
    </Provider>,
  );
  const previewCalls = () => calls.filter((call) => call.operationName === 'SchedulePreview').map((call) => call.variables);
  return { onSubmit, previewCalls, user: userEvent.setup() };
}

afterEach(() => {
  vi.useRealTimers();
  cleanup();
});

describe('JobForm schedule field', () => {
  it('previews the initial expression with its description and next five fire times', async () => {
    renderForm();
    expect(await screen.findByText('Described: */10 * * * * *')).toBeTruthy();
    const times = screen.getAllByRole('listitem');
    expect(times).toHaveLength(5);
    expect(times[0]?.textContent).toBe('26 Nov 2026, 23:00:00 UTC');
    expect(screen.queryByRole('list', { name: 'Warnings about this expression' })).toBeNull();
  });

  it('marks fires that daylight saving time shifts or repeats, and lists the warnings', async () => {
    const { previewCalls, user } = renderForm();
    await screen.findByText('Described: */10 * * * * *');
    await user.selectOptions(screen.getByLabelText('Timezone'), 'Europe/Berlin');
    const field = screen.getByLabelText('Schedule (cron)');
    await user.clear(field);
    await user.type(field, '30 2 * * *');
    expect(await screen.findByText('At 02:30')).toBeTruthy();
    const warnings = screen.getByRole('list', { name: 'Warnings about this expression' });
    expect(within(warnings).getByText('Daylight saving time changes in Europe/Berlin affect this schedule')).toBeTruthy();
    const times = within(screen.getByText(/^Next 4 fire times/).nextElementSibling as HTMLElement).getAllByRole('listitem');
    expect(times.map((item) => item.textContent)).toEqual([
      '24 Oct 2026, 02:30:00 CEST',
      '25 Oct 2026, 02:30:00 CEST Repeated hour',
      '25 Oct 2026, 02:30:00 CET Repeated hour',
      '28 Mar 2027, 03:30:00 CEST DST shifted',
    ]);
    expect(within(times[3]!).getByText('DST shifted').getAttribute('title')).toMatch(/does not exist/);
    expect(previewCalls().at(-1)).toMatchObject({ expression: '30 2 * * *', timezone: 'Europe/Berlin', dstGap: 'SHIFT', dstOverlap: 'FIRST' });
  });

  it('previews under the DST policies chosen in the advanced section', async () => {
    const { previewCalls, user } = renderForm();
    await screen.findByText('Described: */10 * * * * *');
    await user.click(screen.getByRole('button', { name: /^Advanced/ }));
    await user.click(screen.getByLabelText(/^Both/));
    await user.click(screen.getByRole('radio', { name: /^Skip That fire does not happen/ }));
    await waitFor(() => expect(previewCalls().at(-1)).toMatchObject({ dstGap: 'SKIP', dstOverlap: 'BOTH' }));
  });

  it('waits for a pause in typing, then checks only the final expression', async () => {
    const { previewCalls } = renderForm();
    await screen.findByText('Described: */10 * * * * *');
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const field = screen.getByLabelText('Schedule (cron)');
    const typed = '0 0 * * * *';
    for (let length = 0; length <= typed.length; length += 1) {
      fireEvent.change(field, { target: { value: typed.slice(0, length) } });
      act(() => vi.advanceTimersByTime(PREVIEW_DEBOUNCE_MS / 3));
    }
    expect(screen.getByText('Checking the expression…')).toBeTruthy();
    await act(() => vi.advanceTimersByTimeAsync(PREVIEW_DEBOUNCE_MS));
    vi.useRealTimers();
    expect(await screen.findByText('Described: 0 0 * * * *')).toBeTruthy();
    expect(previewCalls().map((variables) => variables['expression'])).toEqual(['*/10 * * * * *', '0 0 * * * *']);
  });

  it('shows fire times in the chosen timezone', async () => {
    const { previewCalls, user } = renderForm();
    await screen.findByText('Described: */10 * * * * *');
    await user.selectOptions(screen.getByLabelText('Timezone'), 'Asia/Tokyo');
    expect(await screen.findByText('27 Nov 2026, 08:00:00 GMT+9')).toBeTruthy();
    expect(previewCalls().at(-1)).toMatchObject({ timezone: 'Asia/Tokyo' });
  });

  it('shows the server’s reason next to an invalid expression', async () => {
    const { user } = renderForm();
    const field = screen.getByLabelText('Schedule (cron)');
    await user.clear(field);
    await user.type(field, '* *');
    expect(await screen.findByText('schedule "* *" has too few fields')).toBeTruthy();
    expect(field.getAttribute('aria-invalid')).toBe('true');
    expect(field.getAttribute('aria-describedby')).toContain('job-schedule-error');
  });
});

describe('JobForm submission', () => {
  it('does not submit without a URL, and focuses the field that needs it', async () => {
    const { onSubmit, user } = renderForm();
    await user.click(screen.getByRole('button', { name: 'Create job' }));
    expect(screen.getByText('Enter the URL to call')).toBeTruthy();
    expect(document.activeElement).toBe(screen.getByLabelText('Target URL'));
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it('checks a field when the user leaves it', async () => {
    const { user } = renderForm();
    await user.type(screen.getByLabelText('Timeout (ms) (optional)'), '50');
    expect(screen.queryByText(/whole number of milliseconds/)).toBeNull();
    await user.tab();
    expect(screen.getByText('Enter a whole number of milliseconds from 100 to 600000')).toBeTruthy();
  });

  it('submits every option the user set', async () => {
    const { onSubmit, user } = renderForm();
    await user.type(screen.getByLabelText('Target URL'), 'https://api.example.com/tick');
    await user.click(screen.getByLabelText(/At most once/));
    await user.type(screen.getByLabelText('Alert webhook (optional)'), 'https://hooks.example.com/a');
    await user.type(screen.getByLabelText('Timeout (ms) (optional)'), '2500');
    await user.click(screen.getByRole('button', { name: 'Create job' }));
    await waitFor(() => expect(onSubmit).toHaveBeenCalledTimes(1));
    expect(onSubmit.mock.calls[0]?.[0]).toEqual({
      api: 'https://api.example.com/tick',
      schedule: '*/10 * * * * *',
      timezone: 'UTC',
      type: 'ATMOST_ONCE',
      alertWebhook: 'https://hooks.example.com/a',
      timeoutMs: '2500',
      maxAttempts: '3',
      ...DEFAULT_POLICY_FORM,
    });
  });

  it('fixes the attempts at 1 at most once, and restores what was typed at least once', async () => {
    const { onSubmit, user } = renderForm();
    const attempts = screen.getByLabelText<HTMLInputElement>('Attempts per occurrence');
    expect(attempts.value).toBe('3');
    await user.clear(attempts);
    await user.type(attempts, '5');
    await user.click(screen.getByLabelText(/At most once/));
    expect(attempts.disabled).toBe(true);
    expect(attempts.value).toBe('1');
    expect(screen.getByText('Always 1 at most once: a call is never retried.')).toBeTruthy();
    await user.click(screen.getByLabelText(/At least once/));
    expect(attempts.disabled).toBe(false);
    expect(attempts.value).toBe('5');
    await user.clear(attempts);
    await user.type(attempts, '11');
    await user.type(screen.getByLabelText('Target URL'), 'https://api.example.com/tick');
    await user.click(screen.getByRole('button', { name: 'Create job' }));
    expect(screen.getByText('Enter a whole number of attempts from 1 to 10')).toBeTruthy();
    expect(document.activeElement).toBe(attempts);
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it('puts the server’s word on the attempts next to them', async () => {
    const message = '"maxAttempts" must be 1 for an ATMOST_ONCE job: it is never retried';
    const onSubmit = vi.fn<Submit>(async () => ({ fields: { maxAttempts: message }, general: [] }));
    const { user } = renderForm(onSubmit);
    await user.type(screen.getByLabelText('Target URL'), 'https://api.example.com/tick');
    await user.click(screen.getByRole('button', { name: 'Create job' }));
    expect(await screen.findByText(message)).toBeTruthy();
    expect(screen.getByLabelText('Attempts per occurrence').getAttribute('aria-describedby')).toContain('job-maxAttempts-error');
  });

  it('puts a server error next to the field it names and clears it once the field changes', async () => {
    const onSubmit = vi.fn<Submit>(async () => ({ fields: { api: '"api" must not carry credentials in the URL' }, general: [] }));
    const { user } = renderForm(onSubmit);
    const api = screen.getByLabelText('Target URL');
    await user.type(api, 'https://user:secret@127.0.0.1:9/');
    await user.click(screen.getByRole('button', { name: 'Create job' }));
    expect(await screen.findByText('"api" must not carry credentials in the URL')).toBeTruthy();
    expect(document.activeElement).toBe(api);
    await user.type(api, 'x');
    expect(screen.queryByText('"api" must not carry credentials in the URL')).toBeNull();
  });

  it('shows errors that name no field above the form', async () => {
    const onSubmit = vi.fn<Submit>(async () => ({ fields: {}, general: ['Unexpected error.'] }));
    const { user } = renderForm(onSubmit);
    await user.type(screen.getByLabelText('Target URL'), 'https://api.example.com/tick');
    await user.click(screen.getByRole('button', { name: 'Create job' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Unexpected error.');
  });
});

describe('JobForm advanced section', () => {
  const openAdvanced = async (user: ReturnType<typeof userEvent.setup>) => user.click(screen.getByRole('button', { name: /^Advanced/ }));

  it('is collapsed at first, says the policies are the defaults, and opens to described choices', async () => {
    const { user } = renderForm();
    const toggle = screen.getByRole('button', { name: /^Advanced/ });
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    expect(toggle.textContent).toContain('all defaults');
    const body = document.getElementById(toggle.getAttribute('aria-controls')!)!;
    expect(body.hidden).toBe(true);
    expect(screen.queryByRole('radio', { name: /Run each missed one/ })).toBeNull();

    await openAdvanced(user);
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    expect(body.hidden).toBe(false);
    const misfires = screen.getByRole('group', { name: /When occurrences were missed/ });
    expect(within(misfires).getByRole('radio', { name: /^Run the latest once \(default\)/ })).toHaveProperty('checked', true);
    expect(within(misfires).getByText(/one run stands in for all the missed occurrences/)).toBeTruthy();
    expect(screen.getByRole('group', { name: /previous call is still running/ })).toBeTruthy();
    expect(screen.getByLabelText<HTMLInputElement>('Success status codes').value).toBe('200-299');
    expect(screen.getByLabelText<HTMLInputElement>('Failing after').value).toBe('3');
    expect(screen.getByLabelText<HTMLInputElement>('Auto-pause after (optional)').value).toBe('');
  });

  it('asks for the catch-up limit and window only when every missed occurrence runs', async () => {
    const { user } = renderForm();
    await openAdvanced(user);
    expect(screen.queryByLabelText('Catch-up limit')).toBeNull();
    await user.click(screen.getByRole('radio', { name: /^Run each missed one/ }));
    expect(screen.getByLabelText<HTMLInputElement>('Catch-up limit').value).toBe('100');
    const window = screen.getByLabelText<HTMLInputElement>('Catch-up window (ms)');
    expect(window.value).toBe('3600000');
    expect(screen.getByText(/Now: 1h 00m\./)).toBeTruthy();
    expect(screen.getByRole('button', { name: /^Advanced/ }).textContent).toContain('1 changed from the defaults');
  });

  it('submits the policies the user set', async () => {
    const { onSubmit, user } = renderForm();
    await user.type(screen.getByLabelText('Target URL'), 'https://api.example.com/tick');
    await openAdvanced(user);
    await user.click(screen.getByRole('radio', { name: /^Queue one/ }));
    await user.clear(screen.getByLabelText('Success status codes'));
    await user.type(screen.getByLabelText('Success status codes'), '2xx,304');
    await user.type(screen.getByLabelText('Lag alert above (ms) (optional)'), '250');
    await user.click(screen.getByRole('button', { name: 'Create job' }));
    await waitFor(() => expect(onSubmit).toHaveBeenCalledTimes(1));
    expect(onSubmit.mock.calls[0]?.[0]).toMatchObject({ overlapPolicy: 'QUEUE_ONE', successCodes: '2xx,304', lagAlertMs: '250' });
  });

  it('opens itself and focuses a policy the form cannot send', async () => {
    const { onSubmit, user } = renderForm();
    await user.type(screen.getByLabelText('Target URL'), 'https://api.example.com/tick');
    await openAdvanced(user);
    await user.type(screen.getByLabelText('Body must match (optional)'), '(');
    await user.tab();
    await openAdvanced(user);
    expect(screen.getByRole('button', { name: /^Advanced/ }).textContent).toContain('Check the fields marked in red');
    await user.click(screen.getByRole('button', { name: 'Create job' }));
    const pattern = screen.getByLabelText('Body must match (optional)');
    expect(screen.getByRole('button', { name: /^Advanced/ }).getAttribute('aria-expanded')).toBe('true');
    expect(document.activeElement).toBe(pattern);
    expect(pattern.getAttribute('aria-describedby')).toContain('job-successBodyPattern-error');
    expect(document.getElementById('job-successBodyPattern-error')?.textContent).toMatch(/^Not a valid regular expression/);
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it('puts the server’s word on a policy next to it, opening the section', async () => {
    const message = '"autoPauseAfter" must be an integer between 1 and 10000, got 20000';
    const onSubmit = vi.fn<Submit>(async () => ({ fields: { autoPauseAfter: message }, general: [] }));
    const { user } = renderForm(onSubmit, { ...EMPTY_JOB_FORM, api: 'https://api.example.com/tick', autoPauseAfter: '20' });
    expect(screen.getByRole('button', { name: /^Advanced/ }).textContent).toContain('1 changed from the defaults');
    await user.click(screen.getByRole('button', { name: 'Create job' }));
    expect(await screen.findByText(message)).toBeTruthy();
    const field = screen.getByLabelText('Auto-pause after (optional)');
    expect(document.activeElement).toBe(field);
    expect(field.getAttribute('aria-invalid')).toBe('true');
    expect(field.getAttribute('aria-describedby')).toContain('job-autoPauseAfter-error');
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('puts a server error on a policy choice next to its options', async () => {
    const message = '"misfirePolicy" must be one of FIRE_ONCE, FIRE_ALL, SKIP, got "NEVER"';
    const onSubmit = vi.fn<Submit>(async () => ({ fields: { misfirePolicy: message }, general: [] }));
    const { user } = renderForm(onSubmit, { ...EMPTY_JOB_FORM, api: 'https://api.example.com/tick' });
    await user.click(screen.getByRole('button', { name: 'Create job' }));
    expect(await screen.findByText(message)).toBeTruthy();
    expect(screen.getByRole('group', { name: /When occurrences were missed/ }).getAttribute('aria-describedby')).toBe('job-misfirePolicy-error');
    expect(document.activeElement).toBe(screen.getByRole('radio', { name: /^Run the latest once/ }));
  });
});
