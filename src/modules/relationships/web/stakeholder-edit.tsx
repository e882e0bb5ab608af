/** Setting a person's place on the map: role in buying, stance, reports-to, our owner and strength (PUT /stakeholders/:id). */
import { Select, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useStaff } from '../../../web/api/queries.js';
import { FormActions, FormModal, FormProblem, useFormProblem } from '../../../web/forms/kit.js';
import { BUYING_ROLES, STANCES, type BuyingRole, type Stance } from '../stakeholders.domain.js';
import { type StakeholderPerson, useSetStakeholder } from './relationships-api.js';

export function StakeholderEditModal({ accountId, person, people, onClose }: { accountId: string; person: StakeholderPerson | null; people: StakeholderPerson[]; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <FormModal opened={!!person} onClose={onClose} title={person ? t('relationships.edit.title', { name: person.name }) : ''} size="md" testId="stakeholder-edit">
      {person && <EditForm accountId={accountId} person={person} people={people} onClose={onClose} />}
    </FormModal>
  );
}

function EditForm({ accountId, person, people, onClose }: { accountId: string; person: StakeholderPerson; people: StakeholderPerson[]; onClose: () => void }) {
  const { t } = useTranslation();
  const staff = useStaff();
  const save = useSetStakeholder(accountId);
  const { problem, onError, clear } = useFormProblem();
  const [buyingRole, setRole] = useState<BuyingRole>(person.buyingRole);
  const [stance, setStance] = useState<Stance>(person.stance);
  const [reportsTo, setReportsTo] = useState<string | null>(person.reportsToContactId);
  const [owner, setOwner] = useState<string | null>(person.owner?.id ?? null);
  const [strength, setStrength] = useState<string | null>(person.strength === null ? null : String(person.strength));
  const [errors, setErrors] = useState<Record<string, string>>({});

  const owners = (staff.data?.items ?? []).filter((u) => u.active && u.role !== 'dealer' && u.role !== 'service').map((u) => ({ value: u.id, label: u.name }));
  // The current owner stays choosable even if the staff list no longer offers them.
  if (person.owner && !owners.some((o) => o.value === person.owner!.id)) owners.unshift({ value: person.owner.id, label: person.owner.name });
  const bosses = people.filter((p) => p.contactId !== person.contactId).map((p) => ({ value: p.contactId, label: p.title ? `${p.name} · ${p.title}` : p.name }));

  const submit = () => {
    clear();
    setErrors({});
    save.mutate({ contactId: person.contactId, body: { buyingRole, stance, reportsToContactId: reportsTo, ownerUserId: owner, strength: strength === null ? null : Number(strength), version: person.version } }, {
      onSuccess: onClose,
      onError: (err) => {
        onError(err);
        const fields = (err as { fieldErrors?: { path: string }[] }).fieldErrors ?? [];
        const next: Record<string, string> = {};
        for (const f of fields) {
          if (f.path.endsWith('reportsToContactId')) next.reportsTo = t('relationships.edit.reportsToInvalid');
          if (f.path.endsWith('ownerUserId')) next.owner = t('relationships.edit.ownerInvalid');
        }
        setErrors(next);
      },
    });
  };

  return (
    <form onSubmit={(e) => { e.preventDefault(); submit(); }} noValidate>
      <Stack gap="sm">
        {person.title && <Text size="sm" c="dimmed">{person.title}</Text>}
        <Select label={t('relationships.col.role')} data={BUYING_ROLES.map((r) => ({ value: r, label: t(`relationships.role.${r}`) }))} value={buyingRole} onChange={(v) => v && setRole(v as BuyingRole)} allowDeselect={false} data-testid="edit-role" />
        <Select label={t('relationships.col.stance')} data={STANCES.map((s) => ({ value: s, label: t(`relationships.stance.${s}`) }))} value={stance} onChange={(v) => v && setStance(v as Stance)} allowDeselect={false} data-testid="edit-stance" />
        <Select label={t('relationships.col.reportsTo')} placeholder={t('relationships.edit.nobody')} data={bosses} value={reportsTo} onChange={setReportsTo} clearable searchable error={errors.reportsTo} nothingFoundMessage={t('common.noMatches')} />
        <Select label={t('relationships.col.owner')} placeholder={t('relationships.edit.noOwner')} data={owners} value={owner} onChange={setOwner} clearable searchable error={errors.owner} nothingFoundMessage={t('common.noMatches')} />
        <Select label={t('relationships.col.strength')} description={t('relationships.edit.strengthHint')} placeholder={t('relationships.edit.unrated')} data={[1, 2, 3, 4, 5].map((n) => ({ value: String(n), label: t(`relationships.strength.${n}`) }))} value={strength} onChange={setStrength} clearable />
        <Text size="xs" c="dimmed">{t('relationships.edit.influenceNote', { n: person.influence })}</Text>
        <FormProblem problem={problem} onReload={onClose} />
        <FormActions onCancel={onClose} loading={save.isPending} />
      </Stack>
    </form>
  );
}
