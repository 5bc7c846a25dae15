import { describe, it } from 'vitest';
import { expectRow } from './helpers.js';
import { TABLE } from './security.rows.js';

/** AUTH and TLS checks pinned by framed transcripts with typed notes. */

describe('security checks: framed transcript -> verdict', () => {
  for (const [id, rows] of Object.entries(TABLE)) {
    describe(id, () => {
      for (const row of rows) it(row.name, () => expectRow(id as Parameters<typeof expectRow>[0], row));
    });
  }
});
