import { Dataset, type Column, categoricalFromStrings } from '../data/dataset.js';
import { InputError } from '../errors.js';

const MS_PER_DAY = 86_400_000;
const UNIT_DAYS = { days: 1, hours: 1 / 24, seconds: 1 / 86_400, milliseconds: 1 / MS_PER_DAY } as const;

export interface AggregateEventsOptions {
  /** Column identifying the user. */
  readonly user: string;
  /** Event time: a numeric column (in `timeUnit`) or date-time text (ISO 8601 or anything `Date.parse` reads). */
  readonly time: string;
  /** The moment features are computed at; events after it are never used. A number in `timeUnit`, or a date string for text times. */
  readonly asOf: number | string;
  /** Unit of a numeric time column. Default `'days'`. */
  readonly timeUnit?: keyof typeof UNIT_DAYS;
  /** Numeric amount per event (order value); missing counts as 0. */
  readonly amount?: string;
  /** Event type column (e.g. `event` in the Starbucks log). */
  readonly type?: string;
  /** Event types that are orders (for recency, frequency, monetary). Default: every event. */
  readonly orderTypes?: readonly string[];
  /** Product category column, for per-category counts and distinct categories. */
  readonly category?: string;
  /** Look-back windows in days for windowed counts. Default [7, 30, 90]. */
  readonly windows?: readonly number[];
  /** Users to include even without events (their counts are 0, their recency NaN). */
  readonly users?: readonly string[];
}

/**
 * One row per user from an event log, as of a moment: recency (days since
 * the last order before `asOf`), frequency (orders, in all and per window),
 * monetary value (sum, mean, and sum per window), days since the first
 * event (tenure), events per type and per category in each window, and the
 * number of distinct categories. Events after `asOf` are ignored, so the
 * features never see the future. Users without orders have 0 counts and
 * NaN recency and mean; `users` adds users with no events at all.
 * Columns: user, recency_days, tenure_days, frequency, monetary_sum,
 * monetary_mean, frequency_{w}d, monetary_sum_{w}d, events_{type}_{w}d,
 * category_{category}_{w}d, distinct_categories. O(events + users · columns).
 *
 * @throws InputError `missing_column`, `wrong_type`, `parse_error` (a time that does not parse, naming the row), `invalid_option`
 * @example
 * const log = fromRows([{ person: 'a', time: 1, value: 5 }, { person: 'a', time: 8, value: 3 }, { person: 'b', time: 9.5, value: 2 }]);
 * aggregateEvents(log, { user: 'person', time: 'time', amount: 'value', asOf: 10 }).numeric('recency_days'); // => Float64Array [2, 0.5]
 */
export function aggregateEvents(events: Dataset, options: AggregateEventsOptions): Dataset {
  const windows = options.windows ?? [7, 30, 90];
  windows.forEach((w) => {
    if (!(w > 0) || !Number.isFinite(w)) throw new InputError('invalid_option', 'windows', `windows must be positive numbers of days, got ${w}`);
  });
  const userColumn = events.column(options.user);
  const userOf = labels(userColumn, options.user);
  const { days, asOf, toDays } = times(events, options);
  const amount = options.amount === undefined ? undefined : events.numeric(options.amount);
  const typeOf = options.type === undefined ? undefined : labels(events.column(options.type), options.type);
  const categoryOf = options.category === undefined ? undefined : labels(events.column(options.category), options.category);
  const orderTypes = options.orderTypes === undefined ? undefined : new Set(options.orderTypes);

  const users = new Map<string, number>();
  for (const user of options.users ?? []) if (!users.has(user)) users.set(user, users.size);
  for (let i = 0; i < events.n; i++) {
    const user = userOf(i);
    if (user !== null && days[i]! <= asOf && !users.has(user)) users.set(user, users.size);
  }
  const names = [...users.keys()].sort();
  const rowOf = new Map(names.map((name, r) => [name, r]));
  const m = names.length;
  const types = typeOf === undefined ? [] : distinct(events.n, typeOf);
  const categories = categoryOf === undefined ? [] : distinct(events.n, categoryOf);
  const lastOrder = new Float64Array(m).fill(-Infinity);
  const firstEvent = new Float64Array(m).fill(Infinity);
  const frequency = new Float64Array(m);
  const monetary = new Float64Array(m);
  const windowOrders = windows.map(() => new Float64Array(m));
  const windowMoney = windows.map(() => new Float64Array(m));
  const typeCounts = types.map(() => windows.map(() => new Float64Array(m)));
  const categoryCounts = categories.map(() => windows.map(() => new Float64Array(m)));
  const seenCategories = names.map(() => new Set<string>());
  for (let i = 0; i < events.n; i++) {
    const user = userOf(i);
    const t = days[i] as number;
    if (user === null || t > asOf) continue;
    const r = rowOf.get(user) as number;
    const age = (asOf - t) * toDays;
    firstEvent[r] = Math.min(firstEvent[r] as number, t);
    const type = typeOf?.(i) ?? null;
    const category = categoryOf?.(i) ?? null;
    if (category !== null) seenCategories[r]!.add(category);
    const isOrder = orderTypes === undefined || (type !== null && orderTypes.has(type));
    const value = amount === undefined ? 0 : Number.isNaN(amount[i]) ? 0 : (amount[i] as number);
    if (isOrder) {
      lastOrder[r] = Math.max(lastOrder[r] as number, t);
      frequency[r]!++;
      monetary[r]! += value;
    }
    windows.forEach((w, k) => {
      if (age >= w) return;
      if (isOrder) {
        windowOrders[k]![r]!++;
        windowMoney[k]![r]! += value;
      }
      if (type !== null) typeCounts[types.indexOf(type)]![k]![r]!++;
      if (category !== null) categoryCounts[categories.indexOf(category)]![k]![r]!++;
    });
  }
  const columns: Column[] = [categoricalFromStrings(options.user, names)];
  const numeric = (name: string, values: Float64Array) => columns.push({ kind: 'numeric', name, values, boolean: false });
  numeric('recency_days', lastOrder.map((t) => (t === -Infinity ? Number.NaN : (asOf - t) * toDays)));
  numeric('tenure_days', firstEvent.map((t) => (t === Infinity ? Number.NaN : (asOf - t) * toDays)));
  numeric('frequency', frequency);
  if (amount !== undefined) {
    numeric('monetary_sum', monetary);
    numeric('monetary_mean', monetary.map((v, r) => ((frequency[r] as number) > 0 ? v / (frequency[r] as number) : Number.NaN)));
  }
  windows.forEach((w, k) => {
    numeric(`frequency_${w}d`, windowOrders[k] as Float64Array);
    if (amount !== undefined) numeric(`monetary_sum_${w}d`, windowMoney[k] as Float64Array);
  });
  types.forEach((type, j) => windows.forEach((w, k) => numeric(`events_${type}_${w}d`, typeCounts[j]![k] as Float64Array)));
  categories.forEach((category, j) => windows.forEach((w, k) => numeric(`category_${category}_${w}d`, categoryCounts[j]![k] as Float64Array)));
  if (categoryOf !== undefined) numeric('distinct_categories', Float64Array.from(seenCategories, (set) => set.size));
  return new Dataset(columns, m);
}

/** Row → label (null when missing) of a categorical or numeric column. */
function labels(column: Column, name: string): (row: number) => string | null {
  if (column.kind === 'categorical') return (row) => ((column.codes[row] as number) < 0 ? null : (column.levels[column.codes[row] as number] as string));
  return (row) => {
    const v = column.values[row] as number;
    if (Number.isNaN(v)) return null;
    if (!Number.isFinite(v)) throw new InputError('not_finite', name, `${name} is ${v} at row ${row}`, row);
    return String(v);
  };
}

function distinct(n: number, label: (row: number) => string | null): string[] {
  const set = new Set<string>();
  for (let i = 0; i < n; i++) {
    const value = label(i);
    if (value !== null) set.add(value);
  }
  return [...set].sort();
}

/** Event times and asOf in the column's own unit (ms for text), and the factor to days: differences are taken before scaling, so whole hours stay exact. */
function times(events: Dataset, options: AggregateEventsOptions): { days: Float64Array; asOf: number; toDays: number } {
  const column = events.column(options.time);
  const days = new Float64Array(events.n);
  if (column.kind === 'numeric') {
    const unit = UNIT_DAYS[options.timeUnit ?? 'days'];
    if (unit === undefined) throw new InputError('invalid_option', 'timeUnit', `timeUnit must be days, hours, seconds or milliseconds, got ${String(options.timeUnit)}`);
    for (let i = 0; i < events.n; i++) {
      const v = column.values[i] as number;
      if (!Number.isFinite(v)) throw new InputError('not_finite', options.time, `${options.time} must be a finite time, got ${v} at row ${i}`, i);
      days[i] = v;
    }
    if (typeof options.asOf !== 'number' || !Number.isFinite(options.asOf)) {
      throw new InputError('invalid_option', 'asOf', `asOf must be a number in ${options.timeUnit ?? 'days'} for a numeric time column, got ${JSON.stringify(options.asOf)}`);
    }
    return { days, asOf: options.asOf, toDays: unit };
  }
  const parsed = column.levels.map((level) => Date.parse(level));
  for (let i = 0; i < events.n; i++) {
    const code = column.codes[i] as number;
    const value = code < 0 ? Number.NaN : (parsed[code] as number);
    if (Number.isNaN(value)) {
      throw new InputError('parse_error', options.time, `${options.time} ${code < 0 ? 'is missing' : `${JSON.stringify(column.levels[code])} is not a date`} at row ${i}`, i);
    }
    days[i] = value;
  }
  const asOf = typeof options.asOf === 'string' ? Date.parse(options.asOf) : Number.NaN;
  if (Number.isNaN(asOf)) throw new InputError('invalid_option', 'asOf', `asOf must be a date string for a text time column, got ${JSON.stringify(options.asOf)}`);
  return { days, asOf, toDays: 1 / MS_PER_DAY };
}
