import type { DstMark as DstMarkValue } from '../../../domain/cron.ts';
import { InvalidScheduleError } from '../../../domain/errors.ts';
import type { PreviewFire as PreviewFireShape } from '../../../service/job-service.ts';
import { builder } from '../builder.ts';
import { DstGapPolicy, DstOverlapPolicy } from './job.ts';

interface SchedulePreviewShape {
  valid: boolean;
  error: string | null;
  description: string | null;
  fires: PreviewFireShape[];
  warnings: string[];
}

const DST_MARKS: readonly DstMarkValue[] = ['SHIFTED', 'REPEATED'];

const DstMark = builder.enumType('DstMark', {
  description:
    'How DST moved a fire. SHIFTED: its local time is skipped by the clocks springing forward, and dstGap SHIFT runs it as far after the change as it was after the start of the gap (02:30 in a 02:00→03:00 gap runs at 03:30). REPEATED: its local time happens twice as the clocks fall back; a schedule with a fixed hour runs on the pass(es) dstOverlap picks, one whose hour is * fires through both.',
  values: DST_MARKS,
});

const PreviewFire = builder.objectRef<PreviewFireShape>('PreviewFire').implement({
  fields: (t) => ({
    at: t.field({ type: 'DateTime', resolve: (fire) => fire.at }),
    dst: t.field({ type: DstMark, nullable: true, description: 'Null when DST did not affect this fire.', resolve: (fire) => fire.dst }),
  }),
});

const SchedulePreview = builder.objectRef<SchedulePreviewShape>('SchedulePreview').implement({
  fields: (t) => ({
    valid: t.exposeBoolean('valid'),
    error: t.exposeString('error', {
      description: "The validation message when invalid (same text as the REST API's error).",
      nullable: true,
    }),
    description: t.exposeString('description', { nullable: true }),
    nextFireTimes: t.field({
      type: ['DateTime'],
      description: 'The instants of `fires`.',
      resolve: (preview) => preview.fires.map((fire) => fire.at),
    }),
    fires: t.field({ type: [PreviewFire], resolve: (preview) => preview.fires }),
    warnings: t.exposeStringList('warnings', {
      description:
        'Plain sentences: where another cron dialect (Vixie cron, Quartz, AWS EventBridge) would read the expression differently, and what the DST changes of the coming year do to it.',
    }),
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
      dstGap: t.arg({ type: DstGapPolicy, description: 'Defaults to SHIFT, as for a job.' }),
      dstOverlap: t.arg({ type: DstOverlapPolicy, description: 'Defaults to FIRST, as for a job.' }),
    },
    resolve: (_root, args, ctx) => {
      try {
        const preview = ctx.jobs.previewSchedule(args.expression, args.timezone ?? 'UTC', args.count ?? 5, {
          dstGap: args.dstGap ?? undefined,
          dstOverlap: args.dstOverlap ?? undefined,
        });
        return { valid: true, error: null, description: preview.description, fires: preview.fires, warnings: preview.warnings };
      } catch (error: unknown) {
        if (!(error instanceof InvalidScheduleError)) throw error;
        return { valid: false, error: error.message, description: null, fires: [], warnings: [] };
      }
    },
  }),
);
