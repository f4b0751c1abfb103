/**
 * A second thread for the gradient trees, where the runtime allows one
 * without changing the library's synchronous API: Node, whose main thread
 * may block on `Atomics.wait` while a worker thread runs the same
 * WebAssembly module on a fit's (or a prediction's) shared memory. The
 * helper takes part of each large task: the later features of a histogram
 * pass, half of a node's partition, half of a round's loss gradients, the
 * leaves holding half of a tree's rows, every other chunk of a
 * prediction's rows. Each bin, gradient, raw prediction and prediction is
 * still computed by one thread over the same rows in the same order, so
 * the models and predictions are the same to the bit with or without the
 * helper. Deno, browsers (whose main thread may not block) and runtimes
 * without shared memory keep one thread.
 *
 * A worker serves one fit (or prediction): the fit hands it the module and
 * its memory, runs alone until the worker says it is ready, and at its end
 * stops and retires it — an idle worker would hold the fit's shared memory
 * until its own collector ran, which an idle thread may never do — and
 * starts the next one, which boots while this thread goes on. Workers are
 * unreferenced, so none keeps a process alive. Control words in the shared
 * memory carry each task and its arguments, a ticket the helper waits on,
 * the ticket it finished, its result, and its ready and stopped flags.
 * @internal
 */

/**
 * Int32 words of the control block: ticket, ready, task, done, stopped, result, up to 13
 * arguments, a spare word, then (as one double, at a multiple of 8 bytes) how long the helper's
 * last task took it. The block must start at a multiple of 8 bytes.
 */
export const CONTROL_WORDS = 22;
const TICKET = 0;
const READY = 1;
const TASK = 2;
const DONE = 3;
const STOPPED = 4;
const RESULT = 5;
const ARGS = 6;
/** The double holding the last task's time, by its index among doubles. */
const ELAPSED = 10;
/** The helper's tasks: a histogram pass (the module's `histogram`), the loss's gradients (the module's `gradients`), a partition (the module's `partition`, its result returned), a tree's leaf values added to the raw predictions (`addLeafValues`), a prediction's walk of a chunk of rows (the prediction module's), or leave the fit. */
export const HISTOGRAM_TASK = 0;
export const GRADIENT_TASK = 1;
export const PARTITION_TASK = 2;
export const LEAVES_TASK = 3;
export const PREDICT_TASK = 4;
/** Rows per call of a prediction kernel's walk (as `predictKernel` calls it): they stay in cache across the trees. */
export const PREDICT_BLOCK = 512;
const STOP_TASK = -1;

/** Longest wait for the helper's answer: far beyond any pass; past it the helper is taken for lost. */
const PATIENCE_MS = 120_000;

/**
 * raw[i] += values[l] for every row i = rows[k] of leaf l's range
 * [starts[l], ends[l]) with low ≤ i < high, leaves 0 to `leaves` − 1: a new
 * tree's leaf values added to the raw predictions of the rows it was grown
 * on. Each row is in one leaf, so two threads can share the rows by index:
 * each then writes to its own part of `raw` (sharing the leaves instead had
 * both write all over it, and each cache line they shared went back and
 * forth between them — slower than one thread alone). A leaf's rows are in
 * ascending order (the trees partition them stably), so the test of the
 * range is predictable. Its source is also the helper's; it reads nothing
 * outside its arguments.
 * @internal
 */
export function addLeafValues(rows: Int32Array, raw: Float64Array, starts: Int32Array, ends: Int32Array, values: Float64Array, leaves: number, low: number, high: number): void {
  for (let l = 0; l < leaves; l++) {
    const v = values[l]!;
    for (let k = starts[l]!, end = ends[l]!; k < end; k++) {
      const i = rows[k]!;
      if (i >= low && i < high) raw[i] = raw[i]! + v;
    }
  }
}

// The worker's script, evaluated by node:worker_threads (which it reaches as this thread does,
// through process.getBuiltinModule): per fit, instantiate the module on the memory handed over,
// then run tasks by ticket until the stop task.
const SCRIPT = `
const { parentPort } = process.getBuiltinModule('node:worker_threads');
const addLeafValues = (${addLeafValues.toString()});
parentPort.on('message', ({ module, memory, control }) => {
  const { histogram, partition, gradients, predict, predictFinite } = new WebAssembly.Instance(module, { env: { memory } }).exports;
  const buffer = memory.buffer;
  const w = new Int32Array(buffer, control, ${CONTROL_WORDS});
  const elapsed = new Float64Array(buffer, control + ${8 * ELAPSED}, 1);
  // Tickets count from 0 (the block is zeroed before the memory is handed over); a stop may already be waiting.
  let ticket = 0;
  Atomics.store(w, ${READY}, 1);
  Atomics.notify(w, ${READY});
  for (;;) {
    Atomics.wait(w, ${TICKET}, ticket);
    ticket = Atomics.load(w, ${TICKET});
    const task = w[${TASK}];
    if (task === ${STOP_TASK}) break;
    const began = performance.now();
    if (task === ${HISTOGRAM_TASK}) histogram(${Array.from({ length: 12 }, (_, k) => `w[${ARGS + k}]`).join(', ')});
    else if (task === ${PARTITION_TASK}) w[${RESULT}] = partition(${Array.from({ length: 13 }, (_, k) => `w[${ARGS + k}]`).join(', ')});
    else if (task === ${PREDICT_TASK}) {
      // roots, trees, x at, rows, row bytes, sums at, finite: the walk in blocks of ${PREDICT_BLOCK} rows
      const [roots, trees, x, rows, rowBytes, sums, finite] = w.subarray(${ARGS}, ${ARGS + 7});
      const walk = finite === 1 ? predictFinite : predict;
      for (let b = 0; b < rows; b += ${PREDICT_BLOCK}) walk(roots, trees, x + b * rowBytes, Math.min(${PREDICT_BLOCK}, rows - b), rowBytes, sums + 8 * b);
    } else if (task === ${LEAVES_TASK}) {
      // rows (both buffers of the index), raw, starts, ends, values at, n, leaves, low, high
      const [rows, raw, starts, ends, values, n, leaves, low, high] = w.subarray(${ARGS}, ${ARGS + 9});
      addLeafValues(new Int32Array(buffer, rows, 2 * n), new Float64Array(buffer, raw, n), new Int32Array(buffer, starts, leaves), new Int32Array(buffer, ends, leaves), new Float64Array(buffer, values, leaves), leaves, low, high);
    } else gradients(${Array.from({ length: 10 }, (_, k) => `w[${ARGS + k}]`).join(', ')});
    elapsed[0] = performance.now() - began;
    Atomics.store(w, ${DONE}, ticket);
    Atomics.notify(w, ${DONE});
  }
  Atomics.store(w, ${STOPPED}, 1);
  Atomics.notify(w, ${STOPPED});
});
`;

interface NodeWorker {
  postMessage(message: unknown): void;
  unref(): void;
  terminate(): Promise<number>;
  on(event: 'error' | 'exit', listener: () => void): void;
}

/** The next fit's worker; undefined: none started yet (or the last one retired), null: none can be had. */
let worker: NodeWorker | null | undefined;
/** A worker failed: no more are started. */
let broken = false;
let enabled = true;
/** Passes run by the helper so far (for tests that must know it ran). */
let helped = 0;

/** The worker, started on first use; null where the runtime has no blocking wait on its main thread, no shared memory or no worker threads. */
function helperWorker(): NodeWorker | null {
  if (worker !== undefined) return worker;
  worker = null;
  if (broken) return null;
  const host = globalThis as { process?: { versions?: { node?: string }; getBuiltinModule?: (name: string) => unknown }; Deno?: unknown };
  if (host.process?.versions?.node === undefined || host.Deno !== undefined || typeof host.process.getBuiltinModule !== 'function') return null;
  if (typeof SharedArrayBuffer === 'undefined' || typeof Atomics === 'undefined') return null;
  try {
    // This thread must be allowed to block (a browser-like main thread is not): 'not-equal' at once, or a throw.
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
    const threads = host.process.getBuiltinModule('node:worker_threads') as { Worker: new (script: string, options: { eval: boolean }) => NodeWorker; isMainThread: boolean } | undefined;
    if (threads === undefined) return null;
    const started = new threads.Worker(SCRIPT, { eval: true });
    started.unref();
    // A worker that fails ends the helpers; one that exits (retired, or otherwise) is replaced when next wanted.
    started.on('error', () => {
      broken = true;
      if (worker === started) worker = null;
    });
    started.on('exit', () => {
      if (worker === started) worker = undefined;
    });
    worker = started;
  } catch {
    worker = null;
  }
  return worker;
}

/** Whether fits may count on a helper thread: it is on and the runtime can run one (starting it if need be). */
export function helperAvailable(): boolean {
  return enabled && helperWorker() !== null;
}

/** One fit's use of the helper: its passes, then `close`. */
export interface HistogramHelper {
  /** Whether the helper has taken up the fit's memory: until then (its first fit waits for the worker to start) every pass runs here alone. */
  ready(): boolean;
  /** Starts the helper on a task: a histogram pass with the 12 arguments of the module's `histogram`, or the gradients with theirs (see the script). */
  start(task: number, args: readonly number[]): void;
  /** Waits for the task started last to finish; its result (a partition's left cursor). */
  finish(): number;
  /** How long the helper's last task took it, in milliseconds (its wake-up not included). */
  elapsed(): number;
  /** Hands the memory back: the helper leaves this fit. */
  close(): void;
}

/**
 * The helper attached to a fit's shared memory (its instance of `module`
 * running on it), or null when there is no helper or it does not answer.
 * `control` is the byte offset of the fit's control block.
 */
export function attachHelper(module: WebAssembly.Module, memory: WebAssembly.Memory, control: number): HistogramHelper | null {
  if (!enabled) return null;
  const thread = helperWorker();
  if (thread === null) return null;
  const words = new Int32Array(memory.buffer, control, CONTROL_WORDS);
  words.fill(0);
  const elapsed = new Float64Array(memory.buffer, control + 8 * ELAPSED, 1);
  try {
    thread.postMessage({ module, memory, control });
  } catch {
    return null;
  }
  // No wait here: passes run alone until the helper says it is ready, so a slow start (or none) costs nothing.
  let ticket = 0;
  let open = true;
  let ready = false;
  return {
    ready: () => (ready ||= Atomics.load(words, READY) === 1),
    start(task, args) {
      words[TASK] = task;
      for (let k = 0; k < args.length; k++) words[ARGS + k] = args[k] as number;
      Atomics.store(words, TICKET, ++ticket);
      Atomics.notify(words, TICKET);
    },
    finish() {
      for (;;) {
        const done = Atomics.load(words, DONE);
        if (done === ticket) break;
        if (Atomics.wait(words, DONE, done, PATIENCE_MS) === 'timed-out') throw new Error('the histogram helper thread did not answer');
      }
      helped++;
      return Atomics.load(words, RESULT);
    },
    elapsed: () => elapsed[0] as number,
    close() {
      if (!open) return;
      open = false;
      words[TASK] = STOP_TASK;
      Atomics.store(words, TICKET, ++ticket);
      Atomics.notify(words, TICKET);
      // Retire this worker (and with it its hold on the memory); the next one starts booting now.
      void thread.terminate().catch(() => undefined);
      if (worker === thread) worker = undefined;
      helperWorker();
    },
  };
}

/** Turns the helper off (or back on) for later fits, and returns how many passes it has run: for tests comparing fits with and without it. @internal */
export function histogramThreads(on?: boolean): number {
  if (on !== undefined) enabled = on;
  return helped;
}
