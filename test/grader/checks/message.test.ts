import { describe, it } from 'vitest';
import { expectRow } from './helpers.js';
import { TABLE } from './message.rows.js';

/** Message checks pinned by framed transcripts and stored messages. */

describe('message checks: framed transcript and stored message -> verdict', () => {
  for (const [id, rows] of Object.entries(TABLE)) {
    describe(id, () => {
      for (const row of rows) it(row.name, () => expectRow(id as Parameters<typeof expectRow>[0], row));
    });
  }
});
