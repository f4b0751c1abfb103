/** Shared types and helpers of the benchmark runner. */
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Where generated benchmark data lives (override with PROMOLENS_BENCH_DATA). */
export const DATA_ROOT = process.env.PROMOLENS_BENCH_DATA ?? join(tmpdir(), 'promolens-bench');

export interface PeerTask {
  /** Task name understood by bench/peers/peer.py. */
  readonly task: string;
  /** Extra arguments for the peer script. */
  readonly args?: readonly string[];
}

export interface BenchOperation<Context = unknown> {
  readonly name: string;
  readonly sizes: readonly number[];
  /** Builds the inputs outside the timed region. */
  setup(n: number): Context | Promise<Context>;
  /** The timed work; its result is printed so the work cannot be optimised away. */
  run(context: Context): unknown;
  /** Bytes of input, to print a throughput. */
  bytes?(context: Context): number;
  readonly peer?: (n: number) => PeerTask;
}

export interface Measurement {
  readonly tool: string;
  readonly name: string;
  readonly n: number;
  readonly medianMs: number;
  readonly runs: number;
  readonly peakMb: number;
  readonly mbPerSecond?: number;
  readonly result?: unknown;
}

export const operation = <Context>(op: BenchOperation<Context>): BenchOperation<unknown> => op as BenchOperation<unknown>;
