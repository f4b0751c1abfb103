import { Dataset, type Column, categoricalFromStrings } from '../data/dataset.js';
import { InputError } from '../errors.js';
import { checkOptions, requireDataset, rules } from '../internal/validate.js';

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
  requireDataset('events', events);
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new InputError('invalid_option', 'options', "aggregateEvents needs options { user, time, asOf, … }");
  }
  checkOptions(options, {
    user: rules.string(),
    time: rules.string(),
    asOf: rules.either(rules.number(), rules.string()),
    timeUnit: rules.oneOf(Object.keys(UNIT_DAYS)),
    amount: rules.string(),
    type: rules.string(),
    orderTypes: rules.strings(),
    category: rules.string(),
    windows: { expected: 'an array of positive numbers of days (at most 100)', test: (value) => Array.isArray(value) && value.length <= 100 && value.every((w) => typeof w === 'number' && w > 0 && Number.isFinite(w)) },
    users: rules.strings(),
  });
  for (const key of ['user', 'time', 'asOf'] as const) {
    if (options[key] === undefined) throw new InputError('invalid_option', key, `aggregateEvents needs options.${key}`);
  }
  const windows = options.windows ?? [7, 30, 90];
  windows.forEach((w) => {
    if (!(w > 0) || !Number.isFinite(w)) throw new InputError('invalid_option', 'windows', `windows must be positive numbers of days, got ${w}`);
  });
  const w = windows.length;
  const user = keysOf(events.column(options.user), options.user);
  const { days, asOf, toDays } = times(events, options);
  const amount = options.amount === undefined ? undefined : events.numeric(options.amount);
  const type = options.type === undefined ? undefined : keysOf(events.column(options.type), options.type);
  const category = options.category === undefined ? undefined : keysOf(events.column(options.category), options.category);

  // Users (rows of the result): those with an event by asOf, and any listed; sorted by label.
  const userLabels = [...user.labels];
  const labelKey = new Map(userLabels.map((label, key) => [label, key]));
  for (const name of options.users ?? []) {
    if (!labelKey.has(name)) {
      labelKey.set(name, userLabels.length);
      userLabels.push(name);
    }
  }
  const included = new Uint8Array(userLabels.length);
  for (const name of options.users ?? []) included[labelKey.get(name) as number] = 1;
  for (let i = 0; i < events.n; i++) {
    const key = user.keys[i] as number;
    if (key >= 0 && (days[i] as number) <= asOf) included[key] = 1;
  }
  const names = userLabels.filter((_, key) => included[key] === 1).sort();
  const rowOfKey = new Int32Array(userLabels.length).fill(-1);
  names.forEach((name, row) => {
    rowOfKey[labelKey.get(name) as number] = row;
  });
  const m = names.length;

  // Event types and categories that occur, by key → position.
  const positions = (keys: Keys | undefined) => {
    if (keys === undefined) return { list: [] as string[], of: new Int32Array(0) };
    const seen = new Uint8Array(keys.labels.length);
    for (const key of keys.keys) if (key >= 0) seen[key] = 1;
    const list = keys.labels.filter((_, key) => seen[key] === 1).sort();
    const of = Int32Array.from(keys.labels, (label) => list.indexOf(label));
    return { list, of };
  };
  const types = positions(type);
  const categories = positions(category);
  const isOrderType = type === undefined || options.orderTypes === undefined ? undefined : Uint8Array.from(type.labels, (label) => (options.orderTypes?.includes(label) ? 1 : 0));

  const lastOrder = new Float64Array(m).fill(-Infinity);
  const firstEvent = new Float64Array(m).fill(Infinity);
  const frequency = new Float64Array(m);
  const monetary = new Float64Array(m);
  const windowOrders = new Float64Array(w * m);
  const windowMoney = new Float64Array(w * m);
  const typeCounts = new Float64Array(types.list.length * w * m);
  const categoryCounts = new Float64Array(categories.list.length * w * m);
  const categorySeen = new Set<number>();
  const distinctCategories = new Float64Array(m);
  for (let i = 0; i < events.n; i++) {
    const key = user.keys[i] as number;
    const t = days[i] as number;
    if (key < 0 || t > asOf) continue;
    const r = rowOfKey[key] as number;
    const age = (asOf - t) * toDays;
    if (t < (firstEvent[r] as number)) firstEvent[r] = t;
    const typeKey = type === undefined ? -1 : (type.keys[i] as number);
    const categoryKey = category === undefined ? -1 : (category.keys[i] as number);
    const typeAt = typeKey >= 0 ? (types.of[typeKey] as number) : -1;
    const categoryAt = categoryKey >= 0 ? (categories.of[categoryKey] as number) : -1;
    if (categoryAt >= 0) {
      const pair = r * categories.list.length + categoryAt;
      if (!categorySeen.has(pair)) {
        categorySeen.add(pair);
        distinctCategories[r]!++;
      }
    }
    const isOrder = isOrderType === undefined || (typeKey >= 0 && isOrderType[typeKey] === 1);
    const value = amount === undefined || Number.isNaN(amount[i]) ? 0 : (amount[i] as number);
    if (isOrder) {
      if (t > (lastOrder[r] as number)) lastOrder[r] = t;
      frequency[r]!++;
      monetary[r]! += value;
    }
    for (let k = 0; k < w; k++) {
      if (age >= (windows[k] as number)) continue;
      if (isOrder) {
        windowOrders[k * m + r]!++;
        windowMoney[k * m + r]! += value;
      }
      if (typeAt >= 0) typeCounts[(typeAt * w + k) * m + r]!++;
      if (categoryAt >= 0) categoryCounts[(categoryAt * w + k) * m + r]!++;
    }
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
  windows.forEach((days, k) => {
    numeric(`frequency_${days}d`, windowOrders.slice(k * m, (k + 1) * m));
    if (amount !== undefined) numeric(`monetary_sum_${days}d`, windowMoney.slice(k * m, (k + 1) * m));
  });
  types.list.forEach((name, j) => windows.forEach((days, k) => numeric(`events_${name}_${days}d`, typeCounts.slice((j * w + k) * m, (j * w + k + 1) * m))));
  categories.list.forEach((name, j) => windows.forEach((days, k) => numeric(`category_${name}_${days}d`, categoryCounts.slice((j * w + k) * m, (j * w + k + 1) * m))));
  if (category !== undefined) numeric('distinct_categories', distinctCategories);
  return new Dataset(columns, m);
}

/** Integer keys per row (−1 missing) and the label of each key. */
interface Keys {
  readonly keys: Int32Array;
  readonly labels: readonly string[];
}

/** Keys of a categorical column are its codes; a numeric column's distinct values are numbered. */
function keysOf(column: Column, name: string): Keys {
  if (column.kind === 'categorical') return { keys: column.codes, labels: column.levels };
  const keyOf = new Map<number, number>();
  const labels: string[] = [];
  const keys = new Int32Array(column.values.length);
  for (let row = 0; row < keys.length; row++) {
    const v = column.values[row] as number;
    if (Number.isNaN(v)) {
      keys[row] = -1;
      continue;
    }
    if (!Number.isFinite(v)) throw new InputError('not_finite', name, `${name} is ${v} at row ${row}`, row);
    let key = keyOf.get(v);
    if (key === undefined) {
      key = labels.length;
      keyOf.set(v, key);
      labels.push(String(v));
    }
    keys[row] = key;
  }
  return { keys, labels };
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
