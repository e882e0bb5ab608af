/** Imports: choose the kind and file, map the columns, preview, run with live progress, see the result and past imports. */
import {
  ActionIcon, Alert, Anchor, Badge, Button, Card, FileInput, Group, Progress, ScrollArea, SegmentedControl, Select, SimpleGrid, Stack, Switch, Table, Text, TextInput, Title, Tooltip,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconDeviceFloppy, IconDownload, IconFileSpreadsheet, IconPlayerPlay, IconPlayerStop, IconRefresh, IconTrash, IconUpload } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../../../web/format.js';
import { useSession } from '../../../web/session.js';
import { useProblemText } from '../../../web/ui/errors.js';
import { PageHeader } from '../../../web/ui/page-header.js';
import { Empty, ErrorState, Loading } from '../../../web/ui/states.js';
import {
  cancelImport, dateFormats, delimiters, encodings, kindsFor, reasonText, runImport, runningStatuses, separators, uploadImport, useDeleteMapping, useJob, useJobs,
  useMappings, usePreview, useSaveMapping, type ImportJob, type ImportKind, type ImportOptions, type Mapping, type UploadResult,
} from './sales-api.js';

const statusColor: Record<ImportJob['status'], string> = { uploaded: 'gray', queued: 'blue', running: 'blue', succeeded: 'teal', failed: 'red', cancelled: 'orange', expired: 'gray' };

export function StatusBadge({ status, dryRun }: { status: ImportJob['status']; dryRun: boolean }) {
  const { t } = useTranslation();
  return (
    <Group gap={4} wrap="nowrap">
      <Badge color={statusColor[status]} variant="light" radius="sm" size="sm">{t(`sales.status.${status}`)}</Badge>
      {dryRun && <Badge color="gray" variant="outline" radius="sm" size="sm">{t('sales.options.dryRun')}</Badge>}
    </Group>
  );
}

const defaultOptions = (kind: ImportKind): ImportOptions => ({ encoding: 'utf-8', delimiter: ',', dateFormat: 'YYYY-MM-DD', thousandsSeparator: ',', defaultCurrency: kind === 'sales' ? 'CNY' : null });

function OptionsCard({ options, onChange, dryRun, onDryRun, kind }: { options: ImportOptions; onChange: (o: Partial<ImportOptions>) => void; dryRun: boolean; onDryRun: (v: boolean) => void; kind: ImportKind }) {
  const { t } = useTranslation();
  return (
    <SimpleGrid cols={{ base: 1, xs: 2, md: kind === 'sales' ? 6 : 5 }} spacing="sm" verticalSpacing="xs">
      <Select
        label={t('sales.options.encoding')} value={options.encoding} allowDeselect={false}
        data={encodings.map((e) => ({ value: e, label: t(`sales.encodings.${e === 'utf-8' ? 'utf8' : 'gb18030'}`) }))}
        onChange={(v) => onChange({ encoding: (v ?? 'utf-8') as ImportOptions['encoding'] })}
      />
      <Select
        label={t('sales.options.delimiter')} value={options.delimiter} allowDeselect={false}
        data={delimiters.map((d) => ({ value: d, label: t(`sales.delimiters.${({ ',': 'comma', ';': 'semicolon', '\t': 'tab', '|': 'pipe' } as const)[d]}`) }))}
        onChange={(v) => onChange({ delimiter: (v ?? ',') as ImportOptions['delimiter'] })}
      />
      <Select label={t('sales.options.dateFormat')} value={options.dateFormat} allowDeselect={false} data={[...dateFormats]} onChange={(v) => onChange({ dateFormat: (v ?? 'YYYY-MM-DD') as ImportOptions['dateFormat'] })} />
      <Select
        label={t('sales.options.thousands')} value={options.thousandsSeparator === '' ? 'none' : options.thousandsSeparator} allowDeselect={false}
        data={separators.map((s) => ({ value: s === '' ? 'none' : s, label: t(`sales.separators.${({ ',': 'comma', ' ': 'space', "'": 'apostrophe', '': 'none' } as const)[s]}`) }))}
        onChange={(v) => onChange({ thousandsSeparator: (v === 'none' || v === null ? '' : v) as ImportOptions['thousandsSeparator'] })}
      />
      {kind === 'sales' && (
        <Select
          label={t('sales.options.defaultCurrency')} value={options.defaultCurrency ?? 'none'} allowDeselect={false}
          data={[{ value: 'none', label: t('sales.options.noDefaultCurrency') }, ...['CNY', 'USD', 'EUR', 'HKD'].map((c) => ({ value: c, label: c }))]}
          onChange={(v) => onChange({ defaultCurrency: !v || v === 'none' ? null : v })}
        />
      )}
      <Switch mt={{ base: 0, xs: 28 }} checked={dryRun} onChange={(e) => onDryRun(e.currentTarget.checked)} label={t('sales.options.dryRun')} description={t('sales.options.dryRunHint')} />
    </SimpleGrid>
  );
}

function MappingCard({ upload, kind, mapping, setMapping, options, setOptions }: {
  upload: UploadResult; kind: ImportKind; mapping: Mapping; setMapping: (m: Mapping) => void; options: ImportOptions; setOptions: (o: ImportOptions) => void;
}) {
  const { t } = useTranslation();
  const problem = useProblemText();
  const saved = useMappings(kind);
  const save = useSaveMapping();
  const remove = useDeleteMapping();
  const [chosen, setChosen] = useState<string | null>(null);
  const [name, setName] = useState('');
  const chosenMapping = saved.data?.items.find((m) => m.id === chosen) ?? null;
  const { me } = useSession();
  // Anyone may use a saved mapping; only the one who saved it, or an admin, may delete it (the server says 403 otherwise).
  const mayDelete = !!chosenMapping && !!me && (me.role === 'admin' || chosenMapping.createdBy === me.id);
  const headers = upload.headers;
  const used = new Set(Object.values(mapping));
  return (
    <Card padding="md">
      <Group justify="space-between" mb="xs" gap="sm">
        <Title order={2} size="h4">{t('sales.mapping.title')}</Title>
        <Text size="xs" c="dimmed">{t('sales.mapping.columns', { count: headers.length })}</Text>
      </Group>
      <Group gap="xs" mb="sm" wrap="wrap">
        {headers.map((h) => <Badge key={h} variant={used.has(h) ? 'light' : 'outline'} color={used.has(h) ? 'brand' : 'gray'} radius="sm" tt="none" className="ok-code">{h || '–'}</Badge>)}
      </Group>
      <SimpleGrid cols={{ base: 1, xs: 2, md: 3 }} spacing="sm" verticalSpacing="xs" data-testid="mapping">
        {upload.fields.map((field) => (
          <Select
            key={field.key} label={t(`sales.fields.${field.key}`)} required={field.required} clearable={!field.required} searchable
            placeholder={t('sales.mapping.notMapped')} value={mapping[field.key] ?? null} data={headers.filter((h) => h !== '')}
            error={field.required && !mapping[field.key] && !(field.key === 'currency' && options.defaultCurrency) ? t('sales.mapping.required') : undefined}
            onChange={(v) => { const m = { ...mapping }; if (v) m[field.key] = v; else delete m[field.key]; setMapping(m); }}
          />
        ))}
      </SimpleGrid>
      <Group mt="md" gap="sm" align="flex-end" wrap="wrap">
        <Select
          label={t('sales.mapping.saved')} placeholder={saved.data?.items.length ? t('sales.mapping.choose') : t('sales.mapping.noneSaved')} disabled={!saved.data?.items.length}
          data={(saved.data?.items ?? []).map((m) => ({ value: m.id, label: m.name }))} value={chosen} w={220}
          onChange={(id) => {
            setChosen(id);
            const m = saved.data?.items.find((x) => x.id === id);
            if (m) { setMapping(Object.fromEntries(Object.entries(m.mapping).filter(([, h]) => headers.includes(h)))); setOptions({ ...m.options }); }
          }}
        />
        {chosenMapping && mayDelete && (
          <Tooltip label={t('sales.mapping.delete')}>
            <ActionIcon variant="default" size="lg" aria-label={t('sales.mapping.delete')} loading={remove.isPending} onClick={() => void remove.mutateAsync(chosenMapping).then(() => setChosen(null)).catch(() => undefined)}>
              <IconTrash size={16} />
            </ActionIcon>
          </Tooltip>
        )}
        <TextInput label={t('sales.mapping.saveAs')} placeholder={t('sales.mapping.namePlaceholder')} value={name} onChange={(e) => setName(e.currentTarget.value)} w={220} maxLength={100} />
        <Button
          variant="default" leftSection={<IconDeviceFloppy size={16} />} disabled={!name.trim()} loading={save.isPending}
          onClick={() => void save.mutateAsync({ kind, name: name.trim(), mapping, options }).then((m) => { setName(''); setChosen(m.id); notifications.show({ color: 'teal', message: t('sales.mapping.savedOk', { name: m.name }) }); }).catch(() => undefined)}
        >
          {t('sales.mapping.save')}
        </Button>
      </Group>
      {(save.isError || remove.isError) && <Text size="sm" c="red.8" mt="xs" role="alert">{problem(save.error ?? remove.error)}</Text>}
    </Card>
  );
}

function PreviewCard({ jobId, mapping, options, fields }: { jobId: string; mapping: Mapping; options: ImportOptions; fields: UploadResult['fields'] }) {
  const { t } = useTranslation();
  const preview = usePreview(jobId, mapping, options);
  const columns = fields.filter((f) => mapping[f.key]);
  const bad = preview.data ? preview.data.rows.filter((r) => r.errors.length).length + preview.data.headerErrors.length : 0;
  return (
    <Card padding="md" data-testid="preview">
      <Group justify="space-between" mb="xs" gap="sm">
        <Title order={2} size="h4">{t('sales.preview.title')}</Title>
        {preview.data && (bad ? <Badge color="red" variant="light" radius="sm">{t('sales.preview.problems', { count: bad })}</Badge> : <Badge color="teal" variant="light" radius="sm">{t('sales.preview.ok')}</Badge>)}
      </Group>
      {preview.isPending ? <Loading /> : preview.isError ? <ErrorState error={preview.error} onRetry={() => void preview.refetch()} /> : (
        <Stack gap="xs">
          {preview.data.headerErrors.length > 0 && (
            <Alert color="red" variant="light" role="alert" title={t('sales.preview.headerProblems')}>
              {preview.data.headerErrors.map((e, i) => <Text key={i} size="sm">{reasonText(t, e.reason)}{e.column ? ` (${e.column})` : ''}</Text>)}
            </Alert>
          )}
          {preview.data.rows.length === 0 ? <Text size="sm" c="dimmed">{t('sales.preview.noRows')}</Text> : (
            <ScrollArea type="auto" offsetScrollbars>
              <Table fz="xs" verticalSpacing={4} withRowBorders style={{ minWidth: 120 + columns.length * 110 }}>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th ta="right">{t('sales.preview.line')}</Table.Th>
                    {columns.map((c) => <Table.Th key={c.key} style={{ whiteSpace: 'nowrap' }}>{t(`sales.fields.${c.key}`)}</Table.Th>)}
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {preview.data.rows.map((r) => {
                    const errorCols = new Set(r.errors.map((e) => e.column));
                    return [
                      <Table.Tr key={r.line} data-testid="preview-row" bg={r.errors.length ? 'red.0' : undefined}>
                        <Table.Td ta="right" className="ok-stat">{r.line}</Table.Td>
                        {columns.map((c) => {
                          const header = mapping[c.key]!;
                          const v = r.values[c.key] ?? r.values[header] ?? '';
                          return <Table.Td key={c.key} c={errorCols.has(header) ? 'red.9' : undefined} fw={errorCols.has(header) ? 600 : undefined} style={{ whiteSpace: 'nowrap' }}>{v}</Table.Td>;
                        })}
                      </Table.Tr>,
                      r.errors.length > 0 && (
                        <Table.Tr key={`${r.line}-e`} bg="red.0">
                          <Table.Td />
                          <Table.Td colSpan={columns.length}>
                            {r.errors.map((e, i) => <Text key={i} size="xs" c="red.9">{e.column}: {reasonText(t, e.reason)}{e.value ? ` («${e.value}»)` : ''}</Text>)}
                          </Table.Td>
                        </Table.Tr>
                      ),
                    ];
                  })}
                </Table.Tbody>
              </Table>
            </ScrollArea>
          )}
        </Stack>
      )}
    </Card>
  );
}

function Counts({ job }: { job: ImportJob }) {
  const { t } = useTranslation();
  const f = useFormat();
  const items: [string, number, string?][] = [
    [t('sales.result.inserted'), job.inserted, 'teal.9'], [t('sales.result.updated'), job.updated, 'blue.8'], [t('sales.result.unchanged'), job.unchanged],
    [t('sales.result.skipped'), job.skipped], [t('sales.result.errors'), job.errorCount, job.errorCount ? 'red.8' : undefined],
  ];
  return (
    <SimpleGrid cols={{ base: 3, sm: 5 }} spacing="xs" data-testid="import-counts">
      {items.map(([label, n, c]) => (
        <div key={label}>
          <Text size="xs" c="dimmed">{label}</Text>
          <Text fz={22} fw={700} className="ok-stat" c={c}>{f.number(n)}</Text>
        </div>
      ))}
    </SimpleGrid>
  );
}

function RunCard({ jobId, onDone }: { jobId: string; onDone: (job: ImportJob) => void }) {
  const { t } = useTranslation();
  const f = useFormat();
  const problem = useProblemText();
  const job = useJob(jobId);
  const cancel = useMutation({ mutationFn: () => cancelImport(jobId) });
  const reported = useRef(false);
  const data = job.data;
  const running = !!data && runningStatuses.includes(data.status);
  useEffect(() => {
    if (data && !running && data.status !== 'uploaded' && !reported.current) { reported.current = true; onDone(data); }
  }, [data, running, onDone]);
  if (job.isPending) return <Card padding="md"><Loading /></Card>;
  if (job.isError) return <ErrorState error={job.error} onRetry={() => void job.refetch()} />;
  const pct = data!.status === 'succeeded' ? 100 : data!.progress === null ? null : Math.round(data!.progress * 100);
  return (
    <Card padding="md" data-testid="import-run" data-status={data!.status}>
      <Group justify="space-between" mb="sm" gap="sm">
        <Title order={2} size="h4">{t(data!.dryRun ? 'sales.run.titleDry' : 'sales.run.title')}</Title>
        <StatusBadge status={data!.status} dryRun={data!.dryRun} />
      </Group>
      <Progress.Root size="lg" mb={6}>
        <Progress.Section
          value={pct ?? 100} animated={running} striped={running && pct === null} color={data!.status === 'failed' ? 'red' : data!.status === 'cancelled' ? 'orange' : running ? 'blue' : 'teal'}
          aria-label={t('sales.run.progress')} data-testid="import-progress"
          {...(pct === null ? { 'aria-valuenow': undefined } : {})}
        />
      </Progress.Root>
      <Group justify="space-between" gap="xs" mb="sm">
        <Text size="sm" c="dimmed">
          {running
            ? t(data!.phase === 'merging' ? 'sales.run.merging' : 'sales.run.reading', { lines: f.number(data!.processedLines) })
            : t('sales.run.lines', { lines: f.number(data!.processedLines) })}
          {pct !== null && running ? ` · ${pct}%` : ''}
        </Text>
        {running && <Button size="xs" color="red" variant="light" leftSection={<IconPlayerStop size={14} />} loading={cancel.isPending} onClick={() => cancel.mutate()}>{t('sales.run.cancel')}</Button>}
      </Group>
      {cancel.isError && <Text size="sm" c="red.8" role="alert">{problem(cancel.error)}</Text>}
      {!running && (
        <Stack gap="sm" role="status">
          <Text size="sm" fw={500}>{t(`sales.result.${data!.status === 'succeeded' ? (data!.dryRun ? 'dryRunOk' : 'ok') : data!.status === 'failed' ? (data!.errorsUrl ? 'failed' : data!.errorCode?.startsWith('file_') ? 'failedUnreadable' : 'failedServer') : 'cancelled'}`)}</Text>
          <Counts job={data!} />
          {data!.errorsUrl && (
            <Group><Button component="a" href={data!.errorsUrl} download variant="light" color="red" leftSection={<IconDownload size={16} />}>{t('sales.result.errorFile', { count: data!.errorCount })}</Button></Group>
          )}
        </Stack>
      )}
    </Card>
  );
}

function PastImports() {
  const { t } = useTranslation();
  const f = useFormat();
  const jobs = useJobs();
  return (
    <Card padding="md" data-testid="import-history-card">
      <Group justify="space-between" mb="sm">
        <Title order={2} size="h4">{t('sales.history.title')}</Title>
        <ActionIcon variant="subtle" color="gray" aria-label={t('sales.history.refresh')} onClick={() => void jobs.refetch()} loading={jobs.isFetching}><IconRefresh size={16} /></ActionIcon>
      </Group>
      {jobs.isPending ? <Loading /> : jobs.isError ? <ErrorState error={jobs.error} onRetry={() => void jobs.refetch()} /> : jobs.data.items.length === 0 ? (
        <Empty title={t('sales.history.empty')} />
      ) : (
        <Table.ScrollContainer minWidth={560}>
          <Table verticalSpacing={6} fz="sm" data-testid="import-history">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('sales.history.when')}</Table.Th>
                <Table.Th>{t('sales.history.file')}</Table.Th>
                <Table.Th>{t('sales.history.status')}</Table.Th>
                <Table.Th ta="right">{t('sales.history.lines')}</Table.Th>
                <Table.Th ta="right">{t('sales.history.changes')}</Table.Th>
                <Table.Th ta="right">{t('sales.result.errors')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {jobs.data.items.map((j) => (
                <Table.Tr key={j.id}>
                  <Table.Td style={{ whiteSpace: 'nowrap' }} title={f.dateTime(j.createdAt)}>{f.relative(j.createdAt)}</Table.Td>
                  <Table.Td maw={240}>
                    <Text size="sm" truncate className="ok-code">{j.fileName}</Text>
                    <Text size="xs" c="dimmed">{t(`sales.kinds.${j.kind}`)}</Text>
                  </Table.Td>
                  <Table.Td><StatusBadge status={j.status} dryRun={j.dryRun} /></Table.Td>
                  <Table.Td ta="right" className="ok-stat">{f.number(j.processedLines)}</Table.Td>
                  <Table.Td ta="right" className="ok-stat" style={{ whiteSpace: 'nowrap' }}>
                    <Tooltip label={t('sales.history.changesHint')}><span>+{f.number(j.inserted)} / ~{f.number(j.updated)} / ={f.number(j.unchanged)}</span></Tooltip>
                  </Table.Td>
                  <Table.Td ta="right">
                    {j.errorsUrl ? <Anchor href={j.errorsUrl} download size="sm" c="red.8">{t('sales.history.download', { count: j.errorCount })}</Anchor> : <Text size="sm" className="ok-stat">{f.number(j.errorCount)}</Text>}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Card>
  );
}

export function ImportPage() {
  const { t } = useTranslation();
  const problem = useProblemText();
  const { me } = useSession();
  const qc = useQueryClient();
  const kinds = kindsFor(me?.role);
  const [kind, setKind] = useState<ImportKind>(kinds[0] ?? 'sales');
  const [file, setFile] = useState<File | null>(null);
  const [options, setOptionsState] = useState<ImportOptions>(defaultOptions(kind));
  const [dryRun, setDryRun] = useState(false);
  const [mapping, setMapping] = useState<Mapping>({});
  const [runId, setRunId] = useState<string | null>(null);
  // A file imported for real cannot run again (the server answers 409): upload it again to re-import.
  const [imported, setImported] = useState(false);

  const upload = useMutation({
    mutationFn: (v: { kind: ImportKind; file: File; encoding: string; delimiter: string }) => uploadImport(v.kind, v.file, v),
    onSuccess: (r) => { setMapping(r.suggestedMapping); setRunId(null); setImported(false); },
  });
  // The header is read with the chosen encoding and separator: a change re-reads the file.
  useEffect(() => {
    if (file) upload.mutate({ kind, file, encoding: options.encoding, delimiter: options.delimiter });
    else upload.reset();
  }, [file, kind, options.encoding, options.delimiter]);

  const run = useMutation({
    mutationFn: () => runImport(upload.data!.job.id, { mapping, options, dryRun }),
    onSuccess: (j) => { qc.setQueryData(['sales', 'import', j.id], j); setRunId(j.id); },
  });
  const setOptions = (o: Partial<ImportOptions>) => setOptionsState((prev) => ({ ...prev, ...o }));
  const jobId = upload.data?.job.id ?? null;
  const missing = useMemo(() => (upload.data?.fields ?? []).filter((f) => f.required && !mapping[f.key] && !(f.key === 'currency' && options.defaultCurrency)), [upload.data, mapping, options.defaultCurrency]);
  const onDone = useMemo(() => (job: ImportJob) => {
    void qc.invalidateQueries({ queryKey: ['sales', 'imports'] });
    if (job.status === 'succeeded' && !job.dryRun) {
      setImported(true);
      // The imported file is removed on the server: its preview is not asked for again (410).
      for (const key of ['portfolio', 'home', 'accounts', 'account', 'account-facts', 'my-day', 'sales']) {
        void qc.invalidateQueries({ queryKey: [key], predicate: (q) => q.queryKey[1] !== 'preview' });
      }
    }
  }, [qc]);

  if (!kinds.length) return <ErrorState error={new Error('forbidden')} />;
  return (
    <>
      <PageHeader title={t('sales.title')} subtitle={t('sales.subtitle')} />
      <Stack gap="md">
        <Card padding="md">
          <Stack gap="sm">
            <Group gap="md" align="flex-end" wrap="wrap">
              <Stack gap={4}>
                <Text component="span" size="sm" fw={500} id="import-kind-label">{t('sales.kind')}</Text>
                <SegmentedControl
                  aria-labelledby="import-kind-label" value={kind}
                  data={kinds.map((k) => ({ value: k, label: t(`sales.kinds.${k}`) }))}
                  onChange={(v) => { const k = v as ImportKind; setKind(k); setOptionsState((o) => ({ ...o, defaultCurrency: k === 'sales' ? (o.defaultCurrency ?? 'CNY') : null })); }}
                />
              </Stack>
              <FileInput
                label={t('sales.file')} placeholder={t('sales.filePlaceholder')} accept=".csv,.txt,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                value={file} onChange={setFile} clearable leftSection={<IconFileSpreadsheet size={16} />} styles={{ placeholder: { color: 'var(--mantine-color-dimmed)' } }} style={{ flex: '1 1 260px' }} data-testid="import-file"
              />
            </Group>
            <Text size="xs" c="dimmed">{t(`sales.hints.${kind}`)}</Text>
            <OptionsCard options={options} onChange={setOptions} dryRun={dryRun} onDryRun={setDryRun} kind={kind} />
          </Stack>
        </Card>

        {upload.isPending && <Card padding="md"><Loading label={t('sales.uploading')} /></Card>}
        {upload.isError && <ErrorState error={upload.error} onRetry={() => file && upload.mutate({ kind, file, encoding: options.encoding, delimiter: options.delimiter })} />}
        {!file && !upload.data && (
          <Card padding="md"><Empty title={t('sales.noFile')} icon={<IconUpload size={22} />}>{t('sales.noFileHint')}</Empty></Card>
        )}

        {upload.data && jobId && (
          <>
            <MappingCard upload={upload.data} kind={kind} mapping={mapping} setMapping={setMapping} options={options} setOptions={(o) => setOptionsState(o)} />
            {!imported && <PreviewCard jobId={jobId} mapping={mapping} options={options} fields={upload.data.fields} />}
            <Group justify="flex-end" gap="sm">
              {imported && <Text size="sm" c="dimmed">{t('sales.run.importedAlready')}</Text>}
              {missing.length > 0 && <Text size="sm" c="red.8">{t('sales.run.missing', { fields: missing.map((f) => t(`sales.fields.${f.key}`)).join(', ') })}</Text>}
              <Button
                size="md" leftSection={<IconPlayerPlay size={18} />} disabled={missing.length > 0 || imported} loading={run.isPending}
                onClick={() => run.mutate()} data-testid="import-run-button"
              >
                {t(dryRun ? 'sales.run.startDry' : 'sales.run.start')}
              </Button>
            </Group>
            {run.isError && <Alert color="red" variant="light" role="alert">{problem(run.error)}</Alert>}
            {runId && <RunCard key={runId + String(run.submittedAt)} jobId={runId} onDone={onDone} />}
          </>
        )}
        <PastImports />
      </Stack>
    </>
  );
}
