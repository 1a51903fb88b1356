import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Provider } from 'urql';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ErrorsByField } from '../../../utils/graphql-errors.ts';
import { PREVIEW_DEBOUNCE_MS } from '../api/use-schedule-preview.ts';
import { createTestClient, type GraphqlHandler } from '../../../testing/test-client.ts';
import { JobForm } from './job-form.tsx';
import { EMPTY_JOB_FORM, type JobFormValues } from './job-form-values.ts';

const FIRE_TIMES = ['2026-11-26T23:00:00.000Z', '2026-11-27T00:00:00.000Z', '2026-11-27T01:00:00.000Z', '2026-11-27T02:00:00.000Z', '2026-11-27T03:00:00.000Z'];

const previewHandler: GraphqlHandler = (variables) => {
  const expression = String(variables['expression']);
  if (expression.split(' ').length < 5) {
    return { data: { schedulePreview: { valid: false, error: `schedule "${expression}" has too few fields`, description: null, nextFireTimes: [] } } };
  }
  return { data: { schedulePreview: { valid: true, error: null, description: `Described: ${expression}`, nextFireTimes: FIRE_TIMES } } };
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
