export {
  type CategoricalStep,
  CategoricalStepSchema,
  type FittedPipeline,
  FittedPipelineSchema,
  type NumericStep,
  NumericStepSchema,
  type PipelineSpec,
  PipelineSpecSchema,
  featurePipeline,
  fitPipeline,
  transform,
} from './pipeline.js';
export { type AggregateEventsOptions, aggregateEvents } from './aggregateEvents.js';
