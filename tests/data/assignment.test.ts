import { describe, expect, it } from 'vitest';
import { codeAssignment, fromColumns } from 'promolens/data';
import { inputErrorOf } from '../helpers.js';

describe('codeAssignment', () => {
  it('codes control as −1 and the treated arms 0… in sorted order, with their counts', () => {
    const data = fromColumns({ arm: ['none', 'b', 'a', 'none', 'b', 'b'] });
    const assignment = codeAssignment(data, 'arm', 'none');
    expect(assignment).toMatchObject({ column: 'arm', control: 'none', arms: ['a', 'b'], controlCount: 2, armCounts: [1, 3], missingCount: 0 });
    expect(Array.from(assignment.codes)).toEqual([-1, 1, 0, -1, 1, 1]);
  });

  it('reads a numeric arm column by the spelling of its numbers, the control given as a number or a string', () => {
    const data = fromColumns({ arm: [0, 1, 2, 0] });
    for (const control of [0, '0']) {
      const assignment = codeAssignment(data, 'arm', control);
      expect(assignment.arms).toEqual(['1', '2']);
      expect(Array.from(assignment.codes)).toEqual([-1, 0, 1, -1]);
    }
  });

  it('keeps the order of the arms it is given, and names the row of a level outside them', () => {
    const data = fromColumns({ arm: ['c', 'y', 'x', 'c'] });
    expect(codeAssignment(data, 'arm', 'c', { arms: ['y', 'x'] }).arms).toEqual(['y', 'x']);
    expect(Array.from(codeAssignment(data, 'arm', 'c', { arms: ['y', 'x'] }).codes)).toEqual([-1, 0, 1, -1]);
    expect(inputErrorOf(() => codeAssignment(data, 'arm', 'c', { arms: ['y'] }))).toMatchObject({ reason: 'invalid_option', field: 'arm', row: 2 });
  });

  it('rejects a missing arm naming the row, or excludes it on request', () => {
    const data = fromColumns({ arm: ['c', 't', null, 't'] });
    expect(inputErrorOf(() => codeAssignment(data, 'arm', 'c'))).toMatchObject({ reason: 'not_finite', field: 'arm', row: 2 });
    const excluded = codeAssignment(data, 'arm', 'c', { missing: 'exclude' });
    expect(Array.from(excluded.codes)).toEqual([-1, 0, -2, 0]);
    expect(excluded).toMatchObject({ controlCount: 1, armCounts: [2], missingCount: 1 });
  });

  it('rejects an unknown control, a column with only the control, and an unknown column', () => {
    const data = fromColumns({ arm: ['c', 'c'], other: ['c', 't'] });
    expect(inputErrorOf(() => codeAssignment(data, 'other', 'nobody'))).toMatchObject({ reason: 'invalid_option', field: 'treatment.control' });
    expect(inputErrorOf(() => codeAssignment(data, 'arm', 'c'))).toMatchObject({ reason: 'single_class', field: 'arm' });
    expect(inputErrorOf(() => codeAssignment(data, 'nope', 'c'))).toMatchObject({ reason: 'missing_column', field: 'nope' });
  });
});
