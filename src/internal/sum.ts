/**
 * Neumaier's compensated sum: the error of each addition is carried, so the
 * total of n terms is accurate to about one rounding whatever n is.
 * @internal
 */
export class CompensatedSum {
  private total = 0;
  private compensation = 0;

  add(value: number): void {
    const next = this.total + value;
    this.compensation +=
      Math.abs(this.total) >= Math.abs(value) ? this.total - next + value : value - next + this.total;
    this.total = next;
  }

  get value(): number {
    return this.total + this.compensation;
  }
}
