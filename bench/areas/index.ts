import type { BenchOperation } from '../harness.js';
import { operations as data } from './data.js';
import { operations as metrics } from './metrics.js';
import { operations as models } from './models.js';
import { operations as uplift } from './uplift.js';
import { operations as campaign } from './campaign.js';
import { operations as trees } from './trees.js';
import { operations as policy } from './policy.js';
import { operations as sql } from './sql.js';

/** Every benchmark area, by the name `npm run bench <area>` takes. */
export const areas: Readonly<Record<string, readonly BenchOperation[]>> = { data, metrics, models, uplift, campaign, trees, policy, sql };
