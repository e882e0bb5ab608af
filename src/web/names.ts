import { useTranslation } from 'react-i18next';

type Named = { name: string; nameEn?: string | null };

/** The name to show first in the current language (the English name only in English), and the other one. */
export function useNames() {
  const { i18n } = useTranslation();
  const en = i18n.language === 'en';
  return {
    primary: (x: Named) => (en && x.nameEn ? x.nameEn : x.name),
    secondary: (x: Named) => (en && x.nameEn && x.nameEn !== x.name ? x.name : null),
  };
}
