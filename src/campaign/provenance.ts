import { z } from 'zod';
import { LIBRARY_VERSION, fingerprint } from '../policy/targetingPolicy.js';
import type { EffectsContext } from './context.js';
import { type CampaignSpec, CampaignSpecSchema } from './spec.js';

/** Where a report comes from: the library, the spec, the data, and (only when the host says) when. */
export const ProvenanceSectionSchema = z
  .object({
    /** Library name and version, e.g. `promolens 0.1.0`. */
    library: z.string(),
    /** The spec as evaluated (validated, defaults not filled in). */
    spec: CampaignSpecSchema,
    data: z.object({
      rows: z.number(),
      /** The columns the evaluation read, in the order hashed. */
      columns: z.array(z.string()),
      /** FNV-1a 64-bit hash (hex) of those columns' values: equal data gives an equal fingerprint. */
      fingerprint: z.string(),
    }),
    /** The creation time the host passed (`options.createdAt`); null by default, so that equal inputs give byte-for-byte equal reports. */
    createdAt: z.string().nullable(),
  })
  .readonly();
export type ProvenanceSection = z.infer<typeof ProvenanceSectionSchema>;

/**
 * The columns a campaign reads, in the order hashed: treatment, outcomes and
 * their pre-periods, cluster, unit, features, segments, the split's unit.
 * (The SQL report lists the same, without features when it has none.) @internal
 */
export function columnsOfSpec(spec: CampaignSpec, featureColumns: readonly string[]): string[] {
  const unit = spec.validation?.unit;
  const columns = [
    spec.treatment.column,
    ...spec.outcomes.flatMap((o) => (o.kind === 'ratio' ? [o.numerator, o.denominator] : [o.column, ...(o.preperiod === undefined ? [] : [o.preperiod])])),
    ...(spec.cluster === undefined ? [] : [spec.cluster]),
    ...(spec.unit === undefined ? [] : [spec.unit]),
    ...featureColumns,
    ...(spec.segments ?? []),
    ...(unit === undefined ? [] : [unit]),
  ];
  return [...new Set(columns)];
}

function columnsRead(context: EffectsContext): string[] {
  return columnsOfSpec(context.spec, context.featureColumns);
}

/** The report's provenance: library version, spec, a fingerprint of the data read, and the host's creation time if given. O(n · columns). */
export function describeProvenance(context: EffectsContext, createdAt: string | undefined): ProvenanceSection {
  const columns = columnsRead(context);
  return {
    library: LIBRARY_VERSION,
    spec: context.spec,
    data: { rows: context.dataset.n, columns, fingerprint: fingerprint(context.dataset, columns) },
    createdAt: createdAt ?? null,
  };
}
