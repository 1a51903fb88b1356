import { InvalidScheduleError } from '../../../domain/errors.ts';
import { builder } from '../builder.ts';

interface SchedulePreviewShape {
  valid: boolean;
  error: string | null;
  description: string | null;
  nextFireTimes: number[];
}

const SchedulePreview = builder.objectRef<SchedulePreviewShape>('SchedulePreview').implement({
  fields: (t) => ({
    valid: t.exposeBoolean('valid'),
    error: t.exposeString('error', {
      description: "The validation message when invalid (same text as the REST API's error).",
      nullable: true,
    }),
    description: t.exposeString('description', { nullable: true }),
    nextFireTimes: t.field({ type: ['DateTime'], resolve: (preview) => preview.nextFireTimes }),
  }),
});

builder.queryField('schedulePreview', (t) =>
  t.field({
    description: 'Next fire times of an expression, or valid: false with the validation message.',
    type: SchedulePreview,
    args: {
      expression: t.arg.string({ required: true }),
      timezone: t.arg.string({ defaultValue: 'UTC' }),
      count: t.arg.int({ defaultValue: 5 }),
    },
    resolve: (_root, args, ctx) => {
      try {
        const preview = ctx.jobs.previewSchedule(args.expression, args.timezone ?? 'UTC', args.count ?? 5);
        return { valid: true, error: null, description: preview.description, nextFireTimes: preview.fireTimes };
      } catch (error: unknown) {
        if (!(error instanceof InvalidScheduleError)) throw error;
        return { valid: false, error: error.message, description: null, nextFireTimes: [] };
      }
    },
  }),
);
