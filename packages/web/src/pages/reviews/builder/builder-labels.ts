import type { TFunction } from 'i18next';

/** The name of a question type in the reader's language (literal keys, so that the catalogs' test sees each). */
export function typeLabel(t: TFunction, type: string): string {
  switch (type) {
    case 'text':
      return t('reviews.builder.types.text');
    case 'long_text':
      return t('reviews.builder.types.long_text');
    case 'integer':
      return t('reviews.builder.types.integer');
    case 'decimal':
      return t('reviews.builder.types.decimal');
    case 'date':
      return t('reviews.builder.types.date');
    case 'select_one':
      return t('reviews.builder.types.select_one');
    case 'select_multiple':
      return t('reviews.builder.types.select_multiple');
    case 'indicator':
      return t('reviews.builder.types.indicator');
    case 'knowledge_item':
      return t('reviews.builder.types.knowledge_item');
    case 'geopoint':
      return t('reviews.builder.types.geopoint');
    case 'note':
      return t('reviews.builder.types.note');
    case 'calculate':
      return t('reviews.builder.types.calculate');
    case 'metadata':
      return t('reviews.builder.types.metadata');
    case 'group':
      return t('reviews.builder.types.group');
    case 'repeat':
      return t('reviews.builder.types.repeat');
    default:
      return type;
  }
}
