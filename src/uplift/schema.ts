import { z } from 'zod';
import { ClassTransformationModelSchema } from './learners/classTransformation.js';
import { DrLearnerModelSchema } from './learners/drLearner.js';
import { SLearnerModelSchema } from './learners/sLearner.js';
import { TLearnerModelSchema } from './learners/tLearner.js';
import { XLearnerModelSchema } from './learners/xLearner.js';

/**
 * A fitted uplift model of any meta-learner, told apart by `kind`; each
 * learner's schema checks everything its prediction reads (see
 * `upliftModelSchema`), so `UpliftModelSchema.parse(JSON.parse(text))` is the
 * loader and a tampered model fails here, never as a garbage prediction.
 */
export const UpliftModelSchema = z.discriminatedUnion('kind', [TLearnerModelSchema, SLearnerModelSchema, XLearnerModelSchema, DrLearnerModelSchema, ClassTransformationModelSchema]);
export type UpliftModel = z.infer<typeof UpliftModelSchema>;
