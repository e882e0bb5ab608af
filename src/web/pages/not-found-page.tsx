import { Button } from '@mantine/core';
import { IconMapSearch } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { Empty } from '../ui/states.js';

export function NotFoundPage() {
  const { t } = useTranslation();
  return (
    <Empty title={t('notFound.title')} icon={<IconMapSearch size={22} />}>
      {t('notFound.body')}
      <br />
      <Button component={Link} to="/" variant="light" mt="md">{t('notFound.home')}</Button>
    </Empty>
  );
}
