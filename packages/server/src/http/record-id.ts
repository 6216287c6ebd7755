import { z } from 'zod';

/**
 * The id of a row (a `serial`: 1 to 2,147,483,647) in a path or query string. A larger number
 * is refused here, naming the parameter (`params.id: Too big…`), rather than by the database.
 */
export const RecordId = z.coerce.number().int().min(1).max(2_147_483_647);
