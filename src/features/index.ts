export {
  type CategoricalStep,
  type FittedPipeline,
  FittedPipelineSchema,
  type NumericStep,
  type PipelineSpec,
  PipelineSpecSchema,
  featurePipeline,
  fitPipeline,
  transform,
} from './pipeline.js';
export { type AggregateEventsOptions, aggregateEvents } from './aggregateEvents.js';
