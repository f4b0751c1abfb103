/** A Float64Array that grows by doubling; `finish()` returns a view of exactly `length` values. */
export class GrowableFloat64 {
  data: Float64Array;
  length = 0;

  constructor(capacity = 1024) {
    this.data = new Float64Array(Math.max(16, capacity));
  }

  push(value: number): void {
    if (this.length === this.data.length) this.grow(this.length + 1);
    this.data[this.length++] = value;
  }

  grow(minimum: number): void {
    const next = new Float64Array(Math.max(minimum, this.data.length * 2));
    next.set(this.data.subarray(0, this.length));
    this.data = next;
  }

  finish(): Float64Array {
    return trim(this.data, this.length);
  }
}

/** An Int32Array that grows by doubling; `finish()` returns a view of exactly `length` values. */
export class GrowableInt32 {
  data: Int32Array;
  length = 0;

  constructor(capacity = 1024) {
    this.data = new Int32Array(Math.max(16, capacity));
  }

  push(value: number): void {
    if (this.length === this.data.length) this.grow(this.length + 1);
    this.data[this.length++] = value;
  }

  grow(minimum: number): void {
    const next = new Int32Array(Math.max(minimum, this.data.length * 2));
    next.set(this.data.subarray(0, this.length));
    this.data = next;
  }

  finish(): Int32Array {
    return trim(this.data, this.length);
  }
}

/** Copies to an exact-size array when more than 1/16 of the buffer is unused, else returns a view. */
function trim<T extends Float64Array | Int32Array>(data: T, length: number): T {
  if (data.length - length > data.length / 16) return data.slice(0, length) as T;
  return data.subarray(0, length) as T;
}
