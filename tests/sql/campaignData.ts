import { type Dataset, fromColumns } from 'promolens';
/**
 * A seeded synthetic campaign for the SQL tests: three arms, a binary and a
 * continuous outcome with a pre-period, numeric features (one with gaps),
 * a categorical feature, a segment, a unit id and a cluster id.
 */
export interface CampaignRow {
  customer_id: number;
  store: number;
  arm: string;
  conversion: number;
  spend: number;
  pre_spend: number;
  visits: number;
  recency: number;
  history: number;
  score: number | null;
  channel: string | null;
  region: string;
}

export const CAMPAIGN_COLUMNS = {
  customer_id: 'BIGINT',
  store: 'INTEGER',
  arm: 'TEXT',
  conversion: 'INTEGER',
  spend: 'DOUBLE',
  pre_spend: 'DOUBLE',
  visits: 'INTEGER',
  recency: 'DOUBLE',
  history: 'DOUBLE',
  score: 'DOUBLE',
  channel: 'TEXT',
  region: 'TEXT',
} as const;

function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function campaignRows(n: number, seed = 7): CampaignRow[] {
  const u = random(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
  const rows: CampaignRow[] = [];
  const arms = ['control', 'email', 'sms'];
  const channels = ['web', 'phone', 'store'];
  const regions = ['north', 'south', 'east', 'west'];
  for (let i = 0; i < n; i++) {
    const store = Math.floor(u() * 60);
    const armCode = store % 3; // whole stores are randomised
    const recency = Math.round(u() * 120) / 10;
    const history = Math.round(Math.exp(4 + normal() * 0.8) * 100) / 100;
    const channel = u() < 0.03 ? null : (channels[Math.floor(u() * 3)] as string);
    const region = regions[Math.floor(u() * 4)] as string;
    const score = u() < 0.05 ? null : Math.round(normal() * 1000) / 1000;
    const lift = armCode === 1 ? 0.5 : armCode === 2 ? 0.3 : 0;
    const eta = -1.2 - 0.12 * recency + 0.004 * history + lift * (recency < 5 ? 1.5 : 0.3) + (channel === 'web' ? 0.4 : 0);
    const conversion = u() < 1 / (1 + Math.exp(-eta)) ? 1 : 0;
    const pre = Math.round(Math.max(0, 20 + history * 0.1 + normal() * 15) * 100) / 100;
    const spend = Math.round(Math.max(0, 5 + 0.6 * pre + conversion * 30 + lift * 4 + normal() * 10) * 100) / 100;
    const visits = 1 + Math.floor(u() * 5);
    rows.push({
      customer_id: 100000 + i * 7,
      store,
      arm: arms[armCode] as string,
      conversion,
      spend,
      pre_spend: pre,
      visits,
      recency,
      history,
      score,
      channel,
      region,
    });
  }
  return rows;
}

/** The rows as a Dataset, as the tables hold them: text columns as strings (null for NULL), the others as numbers (NaN for NULL). */
export function datasetOf(list: readonly CampaignRow[]): Dataset {
  const columns: Record<string, Float64Array | (string | null)[]> = {};
  for (const [name, type] of Object.entries(CAMPAIGN_COLUMNS)) {
    const key = name as keyof CampaignRow;
    columns[name] = type === 'TEXT' ? list.map((r) => r[key] as string | null) : Float64Array.from(list, (r) => (r[key] === null ? Number.NaN : Number(r[key])));
  }
  return fromColumns(columns);
}
