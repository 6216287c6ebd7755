/**
 * The totals of one kind of file (data, metadata, translations, boundaries) in an Open SDG repository import's
 * report: made by the server's import (`totals.byKind`), shown by the web app's /import page. `files` counts every
 * file (an indicator's metadata entry stands for its files); `entries` the report's entries.
 */
export interface KindTotals {
  files: number;
  entries: number;
  imported: number;
  checked: number;
  read: number;
  refused: number;
  skipped: number;
  rolledBack: number;
}
