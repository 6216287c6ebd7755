import { z } from 'zod';
import { withoutPrototype } from '../formats/common/null-prototype.ts';

/**
 * A mapping file (`--map FILE`): columns of a file named freely ("Victim Gender") onto
 * Marsad's dimensions, with their values onto code-list codes. A column mapped to
 * `{ "ignore": true }` is dropped.
 */
export const ColumnMapSchema = z
  .object({
    columns: z
      .record(
        z.string(),
        z.object({
          dimension: z.string().min(1).optional(),
          values: z.record(z.string(), z.string()).optional(),
          ignore: z.boolean().optional(),
        }),
      )
      .default({}),
  })
  // Looked up by a file's column names and cell values: no prototype to find "constructor" in.
  .transform(withoutPrototype);
export type ColumnMap = z.infer<typeof ColumnMapSchema>;
