export type AccountAttachmentsTable = {
  id: string; account_id: string; file_name: string; content_type: string; size_bytes: number; sha256: string;
  storage: string; uploaded_by: string; created_at: string;
};

export type AttachmentBlobsTable = { attachment_id: string; content: Buffer };
