import { describe, it } from 'vitest';
import { expectRow } from './helpers.js';
import { TABLE } from './session.rows.js';

/** The session checks pinned by framed transcripts: no processes, no sockets, milliseconds. */

describe('session checks: framed transcript -> verdict', () => {
  for (const [id, rows] of Object.entries(TABLE)) {
    describe(id, () => {
      for (const row of rows) it(row.name, () => expectRow(id as Parameters<typeof expectRow>[0], row));
    });
  }
});
