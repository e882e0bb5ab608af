/**
 * Outbound e-mail, where configured (OPENKAM_SMTP_URL, OPENKAM_SMTP_FROM; parsed at boot by the
 * hazards settings, which own those variables): best-effort, never throws, never holds up what it
 * reports on. An unset URL skips the message (logged); a failure is logged and answered as text.
 */
export type MailSettings = { smtpUrl: string | undefined; smtpFrom: string };
export type MailLog = { info(obj: unknown, msg?: string): void; warn(obj: unknown, msg?: string): void };
export type Mail = { to: string; subject: string; text: string };

/** 'sent', 'skipped: SMTP not configured' or 'failed: …'; `about` goes into the log lines. */
export async function sendMail(settings: MailSettings, log: MailLog, mail: Mail, about: Record<string, unknown> = {}): Promise<string> {
  if (!settings.smtpUrl) {
    log.info(about, 'e-mail skipped: OPENKAM_SMTP_URL is not set');
    return 'skipped: SMTP not configured';
  }
  try {
    const nodemailer = await import('nodemailer');
    const transport = nodemailer.createTransport(settings.smtpUrl);
    try {
      await transport.sendMail({ from: settings.smtpFrom, to: mail.to, subject: mail.subject, text: mail.text });
    } finally {
      transport.close();
    }
    return 'sent';
  } catch (err) {
    log.warn({ ...about, err }, 'e-mail failed');
    return `failed: ${err instanceof Error ? err.message.slice(0, 200) : 'error'}`;
  }
}
