/**
 * The uplift split criteria, as CausalML's `UpliftTreeClassifier` defines
 * them (Rzepakowski & Jaroszewicz 2012; Zhao et al. 2017), on per-arm rates
 * p₀ (control), p₁ … p_K; docs/trees.md writes each out.
 * @internal
 */

/** The split criteria. */
export type UpliftCriterion = 'kl' | 'ed' | 'chi' | 'cts' | 'ddp';

const EPS = 1e-6;

/** CausalML's binary KL divergence KL(p ‖ q), q clipped to [1e-6, 1 − 1e-6]; 0 when q is 0. @internal */
export function binaryKl(p: number, q: number): number {
  if (q === 0) return 0;
  const qc = Math.min(Math.max(q, EPS), 1 - EPS);
  if (p === 0) return -Math.log(1 - qc);
  if (p === 1) return -Math.log(qc);
  return p * Math.log(p / qc) + (1 - p) * Math.log((1 - p) / (1 - qc));
}

/** CausalML's `entropyH`: −p·log p, or −p·log q when q is given (> 0); 0 otherwise. @internal */
export function entropyH(p: number, q = -1): number {
  if (q === -1 && p > 0) return -p * Math.log(p);
  if (q > 0) return -p * Math.log(q);
  return 0;
}

/**
 * The divergence D of one node from its arms' rates (rates[0] control):
 * kl Σ KL(p_k ‖ p₀); ed Σ 2(p_k − p₀)² (Σ (μ_k − μ₀)² for a continuous
 * outcome); chi Σ (p_k − p₀)²/max(1e-6, p₀) + (p_k − p₀)²/max(1e-6, 1 − p₀);
 * cts −max_k p_k (control included); ddp Σ (p_k − p₀).
 * @internal
 */
export function divergence(criterion: UpliftCriterion, rates: Float64Array, arms: number, continuous: boolean): number {
  const pc = rates[0] as number;
  let d = 0;
  switch (criterion) {
    case 'kl':
      for (let k = 1; k < arms; k++) d += binaryKl(rates[k] as number, pc);
      return d;
    case 'ed':
      for (let k = 1; k < arms; k++) {
        const diff = (rates[k] as number) - pc;
        d += (continuous ? 1 : 2) * diff * diff;
      }
      return d;
    case 'chi': {
      const a = Math.max(EPS, pc);
      const b = Math.max(EPS, 1 - pc);
      for (let k = 1; k < arms; k++) {
        const diff = (rates[k] as number) - pc;
        d += (diff * diff) / a + (diff * diff) / b;
      }
      return d;
    }
    case 'cts': {
      let best = pc;
      for (let k = 1; k < arms; k++) if ((rates[k] as number) > best) best = rates[k] as number;
      return -best;
    }
    case 'ddp':
      for (let k = 1; k < arms; k++) d += (rates[k] as number) - pc;
      return d;
  }
}

/**
 * CausalML's normalisation factor `arr_normI` (alpha 0.9) from the counts
 * per arm of the node (`node[k]`) and of its left child (`left[k]`), arm 0
 * control. Divides the KL, ED and Chi gains.
 * @internal
 */
export function normalisation(node: Float64Array, left: Float64Array, arms: number, alpha = 0.9): number {
  const nc = node[0] as number;
  const ncLeft = left[0] as number;
  let sumT = 0;
  let sumTLeft = 0;
  for (let k = 1; k < arms; k++) {
    sumT += node[k] as number;
    sumTLeft += left[k] as number;
  }
  const ptA = sumTLeft / (sumT + 0.1);
  const pcA = ncLeft / (nc + 0.1);
  let norm = alpha * entropyH(sumT / (sumT + nc), nc / (sumT + nc)) * binaryKl(ptA, pcA);
  for (let k = 1; k < arms; k++) {
    const nk = node[k] as number;
    const ptAi = (left[k] as number) / (nk + 0.1);
    norm += (1 - alpha) * entropyH(nk / (nk + nc), nc / (nk + nc)) * binaryKl(ptAi, pcA);
    norm += (nk / (sumT + nc)) * entropyH(ptAi);
  }
  norm += (nc / (sumT + nc)) * entropyH(pcA);
  return norm + 0.5;
}

/**
 * The gain of a split from the node's divergence and its children's (each
 * from rates regularised toward the node's), the rows at the node and in
 * its left child, and the normalisation factor (1 when switched off):
 * kl, ed, chi: (π_L·D_L + π_R·D_R − D)/norm; cts: D − π_L·D_L − π_R·D_R;
 * ddp: |D_L − D_R|.
 * @internal
 */
export function splitGain(criterion: UpliftCriterion, d: number, dLeft: number, dRight: number, n: number, nLeft: number, norm: number): number {
  const share = nLeft / n;
  if (criterion === 'cts') return d - share * dLeft - (1 - share) * dRight;
  if (criterion === 'ddp') return Math.abs(dLeft - dRight);
  return (share * dLeft + (1 - share) * dRight - d) / norm;
}

/** CausalML's `gain_for_imp`: the gain in rows, not shares, without normalisation (split-gain importance). @internal */
export function splitImportance(criterion: UpliftCriterion, d: number, dLeft: number, dRight: number, n: number, nLeft: number): number {
  const nRight = n - nLeft;
  if (criterion === 'cts') return n * d - nLeft * dLeft - nRight * dRight;
  if (criterion === 'ddp') return Math.abs(nLeft * dLeft - nRight * dRight);
  return nLeft * dLeft + nRight * dRight - n * d;
}
