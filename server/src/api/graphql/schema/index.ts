import { builder } from '../builder.ts';
import './date-time.ts';
import './page-info.ts';
import './job.ts';
import './execution.ts';
import './alerts.ts';
import './schedule.ts';
import './audit.ts';
import './status.ts';
import './events.ts';

/** The GraphQL schema, built from every type family under this folder. */
export const schema = builder.toSchema();
