/**
 * Stock reports from a file (decision 031): choose a CSV or XLSX, map its columns, preview what each
 * row would do, import every row or none, follow it, read the error file. Staff on their import page
 * (for the dealers they may write), the dealer on its own stock page (its own company only).
 */
import { Alert, Anchor, Badge, Button, Card, FileInput, Group, Progress, ScrollArea, Select, SimpleGrid, Stack, Switch, Table, Text, Title } from '@mantine/core';
import { IconDownload, IconFileSpreadsheet, IconPlayerPlay, IconPlayerStop, IconUpload } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import { api, toQuery } from '../../../web/api/client.js';
import { useFormat } from '../../../web/format.js';
import { useProblemText } from '../../../web/ui/errors.js';
import { PageHeader } from '../../../web/ui/page-header.js';
import { ErrorState, Loading } from '../../../web/ui/states.js';
import type { StockImportJob, StockImportOptions, StockPreviewResult, StockUploadResult } from '../stock.import-contract.js';

type Upload = z.infer<typeof StockUploadResult>;
type Preview = z.infer<typeof StockPreviewResult>;
type Mapping = Record<string, string>;

const dateFormats = ['YYYY-MM-DD', 'DD/MM/YYYY', 'MM/DD/YYYY', 'YYYY/MM/DD', 'YYYYMMDD', 'DD-MMM-YY', 'DD-MMM-YYYY'] as const;
const running: StockImportJob['status'][] = ['queued', 'running'];
const statusColor: Record<StockImportJob['status'], string> = { uploaded: 'gray', queued: 'blue', running: 'blue', succeeded: 'teal', failed: 'red', cancelled: 'orange', expired: 'gray' };
const outcomeColor = { inserted: 'teal', updated: 'blue', unchanged: 'gray' } as const;
const xlsxType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const defaults: StockImportOptions = { encoding: 'utf-8', delimiter: ',', dateFormat: 'YYYY-MM-DD', thousandsSeparator: ',' };

function OptionsGrid({ o, set, dryRun, setDryRun }: { o: StockImportOptions; set: (p: Partial<StockImportOptions>) => void; dryRun: boolean; setDryRun: (v: boolean) => void }) {
  const { t } = useTranslation();
  return (
    <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }} spacing="sm" verticalSpacing="xs">
      <Select label={t('stock.import.options.encoding')} value={o.encoding} allowDeselect={false} data={[{ value: 'utf-8', label: 'UTF-8' }, { value: 'gb18030', label: 'GB18030 / GBK' }]}
        onChange={(v) => set({ encoding: (v ?? 'utf-8') as StockImportOptions['encoding'] })} />
      <Select label={t('stock.import.options.delimiter')} value={o.delimiter} allowDeselect={false}
        data={[{ value: ',', label: ', ' }, { value: ';', label: '; ' }, { value: '\t', label: 'Tab' }, { value: '|', label: '| ' }]}
        onChange={(v) => set({ delimiter: (v ?? ',') as StockImportOptions['delimiter'] })} />
      <Select label={t('stock.import.options.dateFormat')} description={t('stock.import.options.dateFormatHint')} value={o.dateFormat} allowDeselect={false} data={[...dateFormats]}
        onChange={(v) => set({ dateFormat: (v ?? 'YYYY-MM-DD') as StockImportOptions['dateFormat'] })} />
      <Switch mt={{ base: 0, md: 28 }} checked={dryRun} onChange={(e) => setDryRun(e.currentTarget.checked)} label={t('stock.import.options.dryRun')} description={t('stock.import.options.dryRunHint')} />
    </SimpleGrid>
  );
}

function MappingGrid({ upload, mapping, setMapping }: { upload: Upload; mapping: Mapping; setMapping: (m: Mapping) => void }) {
  const { t } = useTranslation();
  const headers = upload.headers.filter((h) => h !== '');
  const noProduct = !mapping.sku && !mapping.item;
  return (
    <Card withBorder padding="md">
      <Title order={3} size="h5" mb={4}>{t('stock.import.mapping.title')}</Title>
      <Text size="sm" c="dimmed" mb="sm">{t('stock.import.mapping.hint')}</Text>
      <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }} spacing="sm" verticalSpacing="xs" data-testid="stock-mapping">
        {upload.fields.map((f) => (
          <Select key={f.key} label={t(`stock.import.fields.${f.key}`)} required={f.required} clearable={!f.required} searchable
            placeholder={t('stock.import.mapping.notMapped')} value={mapping[f.key] ?? null} data={headers}
            error={f.required && !mapping[f.key] ? t('stock.import.mapping.required') : (f.key === 'sku' || f.key === 'item') && noProduct ? t('stock.import.mapping.product') : undefined}
            onChange={(v) => { const m = { ...mapping }; if (v) m[f.key] = v; else delete m[f.key]; setMapping(m); }} />
        ))}
      </SimpleGrid>
    </Card>
  );
}

function PreviewTable({ base, jobId, mapping, options, fields }: { base: string; jobId: string; mapping: Mapping; options: StockImportOptions; fields: Upload['fields'] }) {
  const { t } = useTranslation();
  const preview = useQuery({
    queryKey: ['stock', 'import-preview', jobId, mapping, options],
    queryFn: ({ signal }) => api<Preview>(`${base}/${jobId}/preview`, { method: 'POST', body: { mapping, options, rows: 20 }, signal }),
    placeholderData: (p) => p, staleTime: Infinity,
  });
  const columns = fields.filter((f) => mapping[f.key]);
  const bad = preview.data ? preview.data.rows.filter((r) => r.errors.length).length + preview.data.headerErrors.length : 0;
  return (
    <Card withBorder padding="md" data-testid="stock-preview">
      <Group justify="space-between" mb="xs">
        <Title order={3} size="h5">{t('stock.import.preview.title')}</Title>
        {preview.data && (bad ? <Badge color="red" variant="light">{t('stock.import.preview.problems', { count: bad })}</Badge>
          : <Badge color="teal" variant="light">{t('stock.import.preview.ok')}</Badge>)}
      </Group>
      {preview.isPending ? <Loading /> : preview.isError ? <ErrorState error={preview.error} onRetry={() => void preview.refetch()} /> : (
        <Stack gap="xs">
          {preview.data.headerErrors.length > 0 && (
            <Alert color="red" variant="light" role="alert" title={t('stock.import.preview.headerProblems')}>
              {preview.data.headerErrors.map((e, i) => <Text key={i} size="sm">{e.reason}</Text>)}
            </Alert>
          )}
          {preview.data.rows.length === 0 ? <Text size="sm" c="dimmed">{t('stock.import.preview.noRows')}</Text> : (
            <ScrollArea type="auto" offsetScrollbars>
              <Table fz="xs" verticalSpacing={4} style={{ minWidth: 160 + columns.length * 100 }}>
                <Table.Thead><Table.Tr>
                  <Table.Th ta="right">{t('stock.import.preview.line')}</Table.Th>
                  <Table.Th>{t('stock.import.preview.outcome')}</Table.Th>
                  {columns.map((c) => <Table.Th key={c.key} style={{ whiteSpace: 'nowrap' }}>{t(`stock.import.fields.${c.key}`)}</Table.Th>)}
                </Table.Tr></Table.Thead>
                <Table.Tbody>
                  {preview.data.rows.map((r) => {
                    const errCols = new Set(r.errors.map((e) => e.column));
                    return [
                      <Table.Tr key={r.line} bg={r.errors.length ? 'red.0' : undefined}>
                        <Table.Td ta="right">{r.line}</Table.Td>
                        <Table.Td>{r.outcome ? <Badge size="xs" variant="light" color={outcomeColor[r.outcome]}>{t(`stock.import.outcome.${r.outcome}`)}</Badge> : <Badge size="xs" variant="light" color="red">{t('stock.import.outcome.bad')}</Badge>}</Table.Td>
                        {columns.map((c) => <Table.Td key={c.key} c={errCols.has(mapping[c.key]!) ? 'red.9' : undefined} style={{ whiteSpace: 'nowrap', maxWidth: 240, overflow: 'hidden', textOverflow: 'ellipsis' }}>{r.values[c.key] ?? ''}</Table.Td>)}
                      </Table.Tr>,
                      r.errors.length > 0 && (
                        <Table.Tr key={`${r.line}-e`} bg="red.0"><Table.Td /><Table.Td colSpan={columns.length + 1}>
                          {r.errors.map((e, i) => <Text key={i} size="xs" c="red.9">{e.column}: {e.reason}{e.value ? ` («${e.value}»)` : ''}</Text>)}
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

function JobResult({ base, id, onImported }: { base: string; id: string; onImported: () => void }) {
  const { t } = useTranslation();
  const f = useFormat();
  const qc = useQueryClient();
  const problem = useProblemText();
  const job = useQuery({
    queryKey: ['stock', 'import', id], queryFn: ({ signal }) => api<StockImportJob>(`${base}/${id}`, { signal }),
    refetchInterval: (q) => (q.state.data && running.includes(q.state.data.status) ? 400 : false),
  });
  const cancel = useMutation({ mutationFn: () => api<StockImportJob>(`${base}/${id}/cancel`, { method: 'POST' }), onSuccess: () => void job.refetch() });
  const imported = job.data?.status === 'succeeded' && !job.data.dryRun;
  // The stock pages read the reports the import wrote.
  useEffect(() => {
    if (!imported) return;
    onImported();
    void qc.invalidateQueries({ queryKey: ['stock'], predicate: (q) => !String(q.queryKey[1]).startsWith('import') });
  }, [imported, qc, onImported]);
  if (job.isPending) return <Loading />;
  if (job.isError) return <ErrorState error={job.error} onRetry={() => void job.refetch()} />;
  const j = job.data;
  const counts: [string, number, string?][] = [
    [t('stock.import.result.rows'), j.processedLines], [t('stock.import.result.inserted'), j.inserted, 'teal.9'], [t('stock.import.result.updated'), j.updated, 'blue.8'],
    [t('stock.import.result.unchanged'), j.unchanged], [t('stock.import.result.errorRows'), j.errorRows, j.errorRows ? 'red.8' : undefined],
  ];
  return (
    <Card withBorder padding="md" data-testid="stock-import-result">
      <Group justify="space-between" mb="xs" gap="sm">
        <Group gap="xs"><Title order={3} size="h5">{t('stock.import.result.title')}</Title>
          <Badge color={statusColor[j.status]} variant="light">{t(`stock.import.status.${j.status}`)}</Badge>
          {j.dryRun && <Badge color="gray" variant="outline">{t('stock.import.options.dryRun')}</Badge>}</Group>
        {running.includes(j.status) && (
          <Button size="xs" color="red" variant="light" leftSection={<IconPlayerStop size={14} />} loading={cancel.isPending} onClick={() => { if (window.confirm(t('stock.import.result.confirmCancel'))) cancel.mutate(); }}>
            {t('stock.import.result.cancel')}
          </Button>
        )}
      </Group>
      {running.includes(j.status) && <Progress value={(j.progress ?? 0) * 100} animated mb="sm" aria-label={t('stock.import.result.progress')} />}
      <SimpleGrid cols={{ base: 3, sm: 5 }} spacing="xs">
        {counts.map(([label, n, c]) => <div key={label}><Text size="xs" c="dimmed">{label}</Text><Text fw={600} c={c}>{f.number(n)}</Text></div>)}
      </SimpleGrid>
      {j.message && <Text size="sm" mt="sm" c={j.status === 'failed' ? 'red.8' : undefined}>{j.message}</Text>}
      {j.errorsUrl && (
        <Anchor href={j.errorsUrl} size="sm" mt="xs" display="inline-flex" style={{ alignItems: 'center', gap: 4 }}>
          <IconDownload size={14} /> {t('stock.import.result.errorFile', { count: j.errorCount })}
        </Anchor>
      )}
      {cancel.isError && <Text size="sm" c="red.8" role="alert">{problem(cancel.error)}</Text>}
    </Card>
  );
}

/** The whole flow: file, options, mapping, preview, start, result. `portal`: the dealer's own upload. */
export function StockFileImport({ portal }: { portal: boolean }) {
  const { t } = useTranslation();
  const problem = useProblemText();
  const base = portal ? '/portal/stock-imports' : '/stock/imports';
  const [file, setFile] = useState<File | null>(null);
  const [options, setOptions] = useState<StockImportOptions>(defaults);
  const [dryRun, setDryRun] = useState(false);
  const [upload, setUpload] = useState<Upload | null>(null);
  const [mapping, setMapping] = useState<Mapping>({});
  const [started, setStarted] = useState<string | null>(null);
  // Once imported, the file is gone from the server: only the result stays, until the next upload.
  const [imported, setImported] = useState(false);
  const onImported = useCallback(() => setImported(true), []);
  const send = useMutation({
    mutationFn: (f: File) => api<Upload>(`${base}${toQuery({ fileName: f.name.slice(0, 200), encoding: options.encoding, delimiter: options.delimiter })}`,
      { method: 'POST', file: f, headers: { 'content-type': /\.xlsx$/i.test(f.name) || f.type === xlsxType ? xlsxType : 'text/csv' } }),
    onSuccess: (u) => { setUpload(u); setMapping(u.suggestedMapping); setStarted(null); setImported(false); },
  });
  const start = useMutation({
    mutationFn: () => api<StockImportJob>(`${base}/${upload!.job.id}/start`, { method: 'POST', body: { mapping, options, dryRun } }),
    onSuccess: (j) => setStarted(j.id),
  });
  const ready = upload && upload.fields.every((f) => !f.required || mapping[f.key]) && (mapping.sku || mapping.item);
  return (
    <Stack gap="md" data-testid="stock-file-import">
      <Stack gap="sm">
        <Group align="flex-end" gap="sm" wrap="wrap">
          <FileInput style={{ flex: '1 1 240px' }} label={t('stock.import.file')} placeholder={t('stock.import.choose')} accept=".csv,.xlsx,text/csv" value={file}
            onChange={setFile} leftSection={<IconFileSpreadsheet size={16} />} clearable />
          <Button leftSection={<IconUpload size={16} />} disabled={!file} loading={send.isPending} onClick={() => file && send.mutate(file)}>{t('stock.import.upload')}</Button>
        </Group>
        <Text size="xs" c="dimmed">{t(portal ? 'stock.import.portalHint' : 'stock.import.staffHint')}</Text>
        <OptionsGrid o={options} set={(p) => setOptions({ ...options, ...p })} dryRun={dryRun} setDryRun={setDryRun} />
        {send.isError && <Text size="sm" c="red.8" role="alert">{problem(send.error)}</Text>}
      </Stack>
      {upload && !imported && (
        <>
          <MappingGrid upload={upload} mapping={mapping} setMapping={setMapping} />
          <PreviewTable base={base} jobId={upload.job.id} mapping={mapping} options={options} fields={upload.fields} />
          <Group>
            <Button leftSection={<IconPlayerPlay size={16} />} disabled={!ready} loading={start.isPending} onClick={() => start.mutate()} data-testid="stock-import-start">
              {dryRun ? t('stock.import.check') : t('stock.import.start')}
            </Button>
            {start.isError && <Text size="sm" c="red.8" role="alert">{problem(start.error)}</Text>}
          </Group>
        </>
      )}
      {started && <JobResult base={base} id={started} onImported={onImported} />}
    </Stack>
  );
}

/** Staff: import dealers' stock reports from a file. */
export function StockImportPage() {
  const { t } = useTranslation();
  return (
    <Stack gap="md" maw={1100}>
      <PageHeader title={t('stock.import.title')} subtitle={t('stock.import.subtitle')} />
      <Card withBorder padding="md"><StockFileImport portal={false} /></Card>
    </Stack>
  );
}
