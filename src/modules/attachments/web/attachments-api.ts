/** The attachments tab's calls: the list, and an upload that reports its progress (fetch cannot). */
import { useInfiniteQuery, type QueryClient } from '@tanstack/react-query';
import { api, ApiError, toQuery } from '../../../web/api/client.js';
import type { Attachment, AttachmentPage } from '../attachments.contract.js';

export type { Attachment, AttachmentPage };

export const useAttachments = (accountId: string) =>
  useInfiniteQuery({
    queryKey: ['attachments', accountId],
    queryFn: ({ pageParam, signal }) => api<AttachmentPage>(`/accounts/${accountId}/attachments${toQuery({ limit: 50, cursor: pageParam })}`, { signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });

export function invalidateAttachments(qc: QueryClient): void {
  for (const key of ['attachments', 'account-timeline', 'account-audit']) void qc.invalidateQueries({ queryKey: [key] });
}

/** A refused upload: the problem's own fields besides (`refused`, `maxBytes`). */
export class UploadError extends ApiError {
  constructor(status: number, code: string, detail: string, readonly problem: Record<string, unknown>) {
    super(status, code, detail, (problem.errors as { path: string; message: string }[] | undefined) ?? []);
  }
}

export const contentUrl = (a: Pick<Attachment, 'id'>): string => `/api/v1/attachments/${a.id}/content`;

/**
 * Sends the file's bytes as the body (the route takes no multipart), its name in the query, with
 * the CSRF header `api()` sends; `onProgress` hears the share sent, 0–1.
 */
export function uploadAttachment(accountId: string, file: File, csrfToken: string | null, onProgress: (share: number) => void, signal?: AbortSignal): Promise<Attachment> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/v1/accounts/${accountId}/attachments${toQuery({ fileName: file.name })}`);
    xhr.setRequestHeader('accept', 'application/json');
    xhr.setRequestHeader('content-type', file.type || 'application/octet-stream');
    if (csrfToken) xhr.setRequestHeader('x-csrf-token', csrfToken);
    xhr.upload.onprogress = (e) => { if (e.lengthComputable && e.total > 0) onProgress(e.loaded / e.total); };
    xhr.onload = () => {
      let data: Record<string, unknown> = {};
      try { data = xhr.responseText ? (JSON.parse(xhr.responseText) as Record<string, unknown>) : {}; } catch { /* not JSON */ }
      if (xhr.status === 201) resolve(data as Attachment);
      else reject(new UploadError(xhr.status, typeof data.code === 'string' ? data.code : `http_${xhr.status}`, typeof data.detail === 'string' ? data.detail : xhr.statusText, data));
    };
    xhr.onerror = () => reject(new ApiError(0, 'network', 'network'));
    xhr.onabort = () => reject(new DOMException('The upload was cancelled', 'AbortError'));
    signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(file);
  });
}
