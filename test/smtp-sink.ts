import { createServer, type Server } from 'node:net';

export type SunkMail = { from: string; to: string[]; data: string };

/**
 * A local SMTP server that accepts every message and keeps it (RFC 5321's plain dialogue: no TLS,
 * no auth), for tests of outbound e-mail. `url` is what OPENKAM_SMTP_URL takes.
 */
export async function startSmtpSink(): Promise<{ url: string; mails: SunkMail[]; close(): Promise<void> }> {
  const mails: SunkMail[] = [];
  const server: Server = createServer((sock) => {
    let buf = '';
    let mail: SunkMail = { from: '', to: [], data: '' };
    let inData = false;
    const say = (line: string) => sock.write(`${line}\r\n`);
    say('220 sink ESMTP');
    sock.on('data', (chunk) => {
      buf += chunk.toString('utf8');
      for (let i = buf.indexOf('\r\n'); i >= 0; i = buf.indexOf('\r\n')) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 2);
        if (inData) {
          if (line === '.') { inData = false; mails.push(mail); mail = { from: '', to: [], data: '' }; say('250 queued'); }
          else mail.data += `${line.startsWith('..') ? line.slice(1) : line}\n`;
          continue;
        }
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === 'EHLO' || verb === 'HELO') say('250 sink');
        else if (verb === 'MAIL') { mail.from = line.slice(10).trim(); say('250 ok'); }
        else if (verb === 'RCPT') { mail.to.push(line.slice(8).trim().replace(/^<|>$/g, '')); say('250 ok'); }
        else if (verb === 'DATA') { inData = true; say('354 go on'); }
        else if (verb === 'QUIT') { say('221 bye'); sock.end(); }
        else say('250 ok');
      }
    });
    sock.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return { url: `smtp://127.0.0.1:${port}`, mails, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
