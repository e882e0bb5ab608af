/** Logistics: import a shipment / order-line file: choose it, map its columns, preview, run with live progress, see the result and the error file. */
import { Alert, Anchor, Badge, Button, Card, FileInput, Group, Progress, ScrollArea, Select, SimpleGrid, Stack, Switch, Table, Text, Title } from '@mantine/core';
import { IconDownload, IconFileSpreadsheet, IconPlayerPlay, IconPlayerStop, IconUpload } from '@tabler/icons-react';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import { api, toQuery } from '../../../web/api/client.js';
import { useFormat } from '../../../web/format.js';
import { useProblemText } from '../../../web/ui/errors.js';
import { PageHeader } from '../../../web/ui/page-header.js';
import { Empty, ErrorState, Loading } from '../../../web/ui/states.js';
import type { ShipmentImportJob, ShipmentImportOptions, ShipmentPreviewResult, ShipmentUploadResult } from '../import.contract.js';

type Upload = z.infer<typeof ShipmentUploadResult>;
type Preview = z.infer<typeof ShipmentPreviewResult>;
type Mapping = Record<string, string>;

const dateFormats = ['YYYY-MM-DD', 'DD/MM/YYYY', 'MM/DD/YYYY', 'YYYY/MM/DD', 'YYYYMMDD', 'DD-MMM-YY', 'DD-MMM-YYYY'] as const;
const currencies = ['CNY', 'USD', 'EUR', 'HKD'];
const running: ShipmentImportJob['status'][] = ['queued', 'running'];
const statusColor: Record<ShipmentImportJob['status'], string> = { uploaded: 'gray', queued: 'blue', running: 'blue', succeeded: 'teal', failed: 'red', cancelled: 'orange', expired: 'gray' };
const xlsxType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const defaults: ShipmentImportOptions = { encoding: 'utf-8', delimiter: ',', dateFormat: 'YYYY-MM-DD', thousandsSeparator: ',', defaultCurrency: 'CNY', freightCurrency: null, weightUnit: 'kg' };

const uploadFile = (file: File, o: ShipmentImportOptions) => api<Upload>(`/delivery/imports${toQuery({ fileName: file.name.slice(0, 200), encoding: o.encoding, delimiter: o.delimiter })}`,
  { method: 'POST', file, headers: { 'content-type': /\.xlsx$/i.test(file.name) || file.type === xlsxType ? xlsxType : 'text/csv' } });

function Options({ o, set, dryRun, setDryRun }: { o: ShipmentImportOptions; set: (p: Partial<ShipmentImportOptions>) => void; dryRun: boolean; setDryRun: (v: boolean) => void }) {
  const { t } = useTranslation();
  const none = { value: 'none', label: t('delivery.import.options.none') };
  return (
    <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }} spacing="sm" verticalSpacing="xs">
      <Select label={t('delivery.import.options.encoding')} value={o.encoding} allowDeselect={false} data={[{ value: 'utf-8', label: 'UTF-8' }, { value: 'gb18030', label: 'GB18030 / GBK' }]}
        onChange={(v) => set({ encoding: (v ?? 'utf-8') as ShipmentImportOptions['encoding'] })} />
      <Select label={t('delivery.import.options.delimiter')} value={o.delimiter} allowDeselect={false}
        data={[{ value: ',', label: ', ' }, { value: ';', label: '; ' }, { value: '\t', label: 'Tab' }, { value: '|', label: '| ' }]}
        onChange={(v) => set({ delimiter: (v ?? ',') as ShipmentImportOptions['delimiter'] })} />
      <Select label={t('delivery.import.options.dateFormat')} description={t('delivery.import.options.dateFormatHint')} value={o.dateFormat} allowDeselect={false} data={[...dateFormats]}
        onChange={(v) => set({ dateFormat: (v ?? 'YYYY-MM-DD') as ShipmentImportOptions['dateFormat'] })} />
      <Select label={t('delivery.import.options.weightUnit')} value={o.weightUnit} allowDeselect={false} data={[{ value: 'kg', label: 'kg' }, { value: 'g', label: 'g' }]}
        onChange={(v) => set({ weightUnit: (v ?? 'kg') as ShipmentImportOptions['weightUnit'] })} />
      <Select label={t('delivery.import.options.currency')} value={o.defaultCurrency ?? 'none'} allowDeselect={false} data={[none, ...currencies]}
        onChange={(v) => set({ defaultCurrency: !v || v === 'none' ? null : v })} />
      <Select label={t('delivery.import.options.freightCurrency')} value={o.freightCurrency ?? 'none'} allowDeselect={false} data={[{ value: 'none', label: t('delivery.import.options.sameAsLine') }, ...currencies]}
        onChange={(v) => set({ freightCurrency: !v || v === 'none' ? null : v })} />
      <Switch mt={{ base: 0, md: 28 }} checked={dryRun} onChange={(e) => setDryRun(e.currentTarget.checked)} label={t('delivery.import.options.dryRun')} description={t('delivery.import.options.dryRunHint')} />
    </SimpleGrid>
  );
}

function MappingCard({ upload, mapping, setMapping }: { upload: Upload; mapping: Mapping; setMapping: (m: Mapping) => void }) {
  const { t } = useTranslation();
  const headers = upload.headers.filter((h) => h !== '');
  return (
    <Card padding="md">
      <Group justify="space-between" mb="xs"><Title order={2} size="h4">{t('delivery.import.mapping.title')}</Title>
        <Text size="xs" c="dimmed">{t('delivery.import.mapping.columns', { count: upload.headers.length })}</Text></Group>
      <Text size="sm" c="dimmed" mb="sm">{t('delivery.import.mapping.hint')}</Text>
      <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }} spacing="sm" verticalSpacing="xs" data-testid="mapping">
        {upload.fields.map((f) => (
          <Select key={f.key} label={t(`delivery.import.fields.${f.key}`)} required={f.required} clearable={!f.required} searchable
            placeholder={t('delivery.import.mapping.notMapped')} value={mapping[f.key] ?? null} data={headers}
            error={f.required && !mapping[f.key] ? t('delivery.import.mapping.required') : undefined}
            onChange={(v) => { const m = { ...mapping }; if (v) m[f.key] = v; else delete m[f.key]; setMapping(m); }} />
        ))}
      </SimpleGrid>
    </Card>
  );
}

function PreviewCard({ jobId, mapping, options, fields }: { jobId: string; mapping: Mapping; options: ShipmentImportOptions; fields: Upload['fields'] }) {
  const { t } = useTranslation();
  const preview = useQuery({
    queryKey: ['delivery', 'import-preview', jobId, mapping, options],
    queryFn: ({ signal }) => api<Preview>(`/delivery/imports/${jobId}/preview`, { method: 'POST', body: { mapping, options, rows: 20 }, signal }),
    placeholderData: (p) => p, staleTime: Infinity,
  });
  const columns = fields.filter((f) => mapping[f.key]);
  const bad = preview.data ? preview.data.rows.filter((r) => r.errors.length).length + preview.data.headerErrors.length : 0;
  return (
    <Card padding="md" data-testid="preview">
      <Group justify="space-between" mb="xs">
        <Title order={2} size="h4">{t('delivery.import.preview.title')}</Title>
        {preview.data && (bad ? <Badge color="red" variant="light" radius="sm">{t('delivery.import.preview.problems', { count: bad })}</Badge>
          : <Badge color="teal" variant="light" radius="sm">{t('delivery.import.preview.ok')}</Badge>)}
      </Group>
      {preview.isPending ? <Loading /> : preview.isError ? <ErrorState error={preview.error} onRetry={() => void preview.refetch()} /> : (
        <Stack gap="xs">
          {preview.data.headerErrors.length > 0 && (
            <Alert color="red" variant="light" role="alert" title={t('delivery.import.preview.headerProblems')}>
              {preview.data.headerErrors.map((e, i) => <Text key={i} size="sm">{e.reason}</Text>)}
            </Alert>
          )}
          {preview.data.rows.length === 0 ? <Text size="sm" c="dimmed">{t('delivery.import.preview.noRows')}</Text> : (
            <ScrollArea type="auto" offsetScrollbars>
              <Table fz="xs" verticalSpacing={4} style={{ minWidth: 120 + columns.length * 110 }}>
                <Table.Thead><Table.Tr>
                  <Table.Th ta="right">{t('delivery.import.preview.line')}</Table.Th>
                  <Table.Th>{t('delivery.import.preview.key')}</Table.Th>
                  {columns.map((c) => <Table.Th key={c.key} style={{ whiteSpace: 'nowrap' }}>{t(`delivery.import.fields.${c.key}`)}</Table.Th>)}
                </Table.Tr></Table.Thead>
                <Table.Tbody>
                  {preview.data.rows.map((r) => {
                    const errCols = new Set(r.errors.map((e) => e.column));
                    return [
                      <Table.Tr key={r.line} bg={r.errors.length ? 'red.0' : undefined}>
                        <Table.Td ta="right">{r.line}</Table.Td>
                        <Table.Td style={{ whiteSpace: 'nowrap' }}>{r.shipmentKey ?? r.sourceKey ?? '–'}</Table.Td>
                        {columns.map((c) => <Table.Td key={c.key} c={errCols.has(mapping[c.key]!) ? 'red.9' : undefined} style={{ whiteSpace: 'nowrap', maxWidth: 260, overflow: 'hidden', textOverflow: 'ellipsis' }}>{r.values[c.key] ?? ''}</Table.Td>)}
                      </Table.Tr>,
                      r.errors.length > 0 && (
                        <Table.Tr key={`${r.line}-e`} bg="red.0"><Table.Td colSpan={columns.length + 2}>
                          {/* The problems stay in view and wrap while the wide row scrolls beside them: on a phone they were cut at the screen's edge. */}
                          <Stack gap={2} style={{ position: 'sticky', left: 0, maxWidth: 'min(720px, calc(100vw - 72px))', whiteSpace: 'normal' }}>
                            {r.errors.map((e, i) => <Text key={i} size="xs" c="red.9" style={{ overflowWrap: 'anywhere' }}>{e.column}: {e.reason}{e.value ? ` («${e.value}»)` : ''}</Text>)}
                          </Stack>
                        </Table.Td></Table.Tr>
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

function JobCard({ id }: { id: string }) {
  const { t } = useTranslation();
  const f = useFormat();
  const problem = useProblemText();
  const job = useQuery({
    queryKey: ['delivery', 'import', id], queryFn: ({ signal }) => api<ShipmentImportJob>(`/delivery/imports/${id}`, { signal }),
    refetchInterval: (q) => (q.state.data && running.includes(q.state.data.status) ? 400 : false),
  });
  const cancel = useMutation({ mutationFn: () => api<ShipmentImportJob>(`/delivery/imports/${id}/cancel`, { method: 'POST' }), onSuccess: () => void job.refetch() });
  if (job.isPending) return <Loading />;
  if (job.isError) return <ErrorState error={job.error} onRetry={() => void job.refetch()} />;
  const j = job.data;
  const counts: [string, number, string?][] = [
    [t('delivery.import.result.rows'), j.processedLines], [t('delivery.import.result.inserted'), j.inserted, 'teal.9'], [t('delivery.import.result.updated'), j.updated, 'blue.8'],
    [t('delivery.import.result.unchanged'), j.unchanged], [t('delivery.import.result.errorRows'), j.errorRows, j.errorRows ? 'red.8' : undefined],
  ];
  return (
    <Card padding="md" data-testid="import-result">
      <Group justify="space-between" mb="xs" gap="sm">
        <Group gap="xs"><Title order={2} size="h4">{t('delivery.import.result.title')}</Title>
          <Badge color={statusColor[j.status]} variant="light" radius="sm">{t(`delivery.import.status.${j.status}`)}</Badge>
          {j.dryRun && <Badge color="gray" variant="outline" radius="sm">{t('delivery.import.options.dryRun')}</Badge>}</Group>
        {running.includes(j.status) && (
          <Button size="xs" color="red" variant="light" leftSection={<IconPlayerStop size={14} />} loading={cancel.isPending} onClick={() => { if (window.confirm(t('delivery.import.result.confirmCancel'))) cancel.mutate(); }}>
            {t('delivery.import.result.cancel')}
          </Button>
        )}
      </Group>
      {running.includes(j.status) && <Progress value={(j.progress ?? 0) * 100} animated mb="sm" aria-label={t('delivery.import.result.progress')} />}
      <SimpleGrid cols={{ base: 3, sm: 5 }} spacing="xs">
        {counts.map(([label, n, c]) => <div key={label}><Text size="xs" c="dimmed">{label}</Text><Text fw={600} c={c}>{f.number(n)}</Text></div>)}
      </SimpleGrid>
      {j.message && <Text size="sm" mt="sm" c={j.status === 'failed' ? 'red.8' : undefined}>{j.message}</Text>}
      {j.errorsUrl && (
        <Anchor href={j.errorsUrl} size="sm" mt="xs" display="inline-flex" style={{ alignItems: 'center', gap: 4 }}>
          <IconDownload size={14} /> {t('delivery.import.result.errorFile', { count: j.errorCount })}
        </Anchor>
      )}
      {cancel.isError && <Text size="sm" c="red.8" role="alert">{problem(cancel.error)}</Text>}
    </Card>
  );
}

export function DeliveryImportPage() {
  const { t } = useTranslation();
  const problem = useProblemText();
  const [file, setFile] = useState<File | null>(null);
  const [options, setOptions] = useState<ShipmentImportOptions>(defaults);
  const [dryRun, setDryRun] = useState(false);
  const [upload, setUpload] = useState<Upload | null>(null);
  const [mapping, setMapping] = useState<Mapping>({});
  const [started, setStarted] = useState<string | null>(null);
  const send = useMutation({ mutationFn: (f: File) => uploadFile(f, options), onSuccess: (u) => { setUpload(u); setMapping(u.suggestedMapping); setStarted(null); } });
  const start = useMutation({
    mutationFn: () => api<ShipmentImportJob>(`/delivery/imports/${upload!.job.id}/start`, { method: 'POST', body: { mapping, options, dryRun } }),
    onSuccess: (j) => setStarted(j.id),
  });
  const missing = upload?.fields.filter((f) => f.required && !mapping[f.key]) ?? [];
  return (
    <Stack gap="md">
      <PageHeader title={t('delivery.import.title')} subtitle={t('delivery.import.subtitle')} />
      <Card padding="md">
        <Stack gap="sm">
          <Group align="flex-end" gap="sm" wrap="wrap">
            <FileInput style={{ flex: '1 1 240px' }} label={t('delivery.import.file')} placeholder={t('delivery.import.choose')} accept=".csv,.xlsx,text/csv" value={file}
              onChange={setFile} leftSection={<IconFileSpreadsheet size={16} />} clearable />
            <Button leftSection={<IconUpload size={16} />} disabled={!file} loading={send.isPending} onClick={() => file && send.mutate(file)}>{t('delivery.import.upload')}</Button>
          </Group>
          <Options o={options} set={(p) => setOptions({ ...options, ...p })} dryRun={dryRun} setDryRun={setDryRun} />
          {send.isError && <Text size="sm" c="red.8" role="alert">{problem(send.error)}</Text>}
        </Stack>
      </Card>
      {!upload ? <Empty title={t('delivery.import.empty')}>{t('delivery.import.emptyHint')}</Empty> : (
        <>
          <MappingCard upload={upload} mapping={mapping} setMapping={setMapping} />
          <PreviewCard jobId={upload.job.id} mapping={mapping} options={options} fields={upload.fields} />
          <Group>
            <Button leftSection={<IconPlayerPlay size={16} />} disabled={missing.length > 0} loading={start.isPending} onClick={() => start.mutate()}>
              {dryRun ? t('delivery.import.check') : t('delivery.import.start')}
            </Button>
            {start.isError && <Text size="sm" c="red.8" role="alert">{problem(start.error)}</Text>}
          </Group>
          {started && <JobCard id={started} />}
        </>
      )}
    </Stack>
  );
}
