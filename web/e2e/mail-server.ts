import { createServer, type AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

// A real SMTP server for the browser tests, on a free loopback port: Gatehouse delivers to it
// over TCP exactly as to a production relay (plain SMTP, which Gatehouse allows only to a
// loopback address and only with ?tls=none). It keeps what it receives, decoded just enough
// to read a mail's text part.

/** ReceivedMail is one mail as the server received it. */
export interface ReceivedMail {
  to: string[];
  subject: string;
  /** The text/plain part, transfer encoding undone. */
  text: string;
}

/** MailServer is a running SMTP server: where to send, what arrived, and how to stop it. */
export interface MailServer {
  /** The GATEHOUSE_SMTP_URL that reaches it. */
  url: string;
  mails: ReceivedMail[];
  /** find returns the latest mail to `to` whose subject matches, if one has arrived. */
  find: (to: string, subject: RegExp) => ReceivedMail | undefined;
  stop: () => Promise<void>;
}

/** decodeWords undoes RFC 2047 encoded words (=?UTF-8?q?…?= and =?UTF-8?b?…?=) in a header. */
function decodeWords(value: string): string {
  return value.replace(/=\?[^?]+\?([qQbB])\?([^?]*)\?=\s*/g, (_, kind: string, text: string) =>
    kind.toLowerCase() === 'b'
      ? Buffer.from(text, 'base64').toString('utf8')
      : decodeQuotedPrintable(text.replace(/_/g, ' ')),
  );
}

function decodeQuotedPrintable(text: string): string {
  const bytes = text
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  return Buffer.from(bytes, 'latin1').toString('utf8');
}

/** splitPart splits a MIME entity into its (unfolded, lower-cased) headers and its body. */
function splitPart(entity: string): { headers: Map<string, string>; body: string } {
  const end = entity.search(/\r?\n\r?\n/);
  const head = end < 0 ? entity : entity.slice(0, end);
  const body = end < 0 ? '' : entity.slice(end).replace(/^\r?\n\r?\n/, '');
  const headers = new Map<string, string>();
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return { headers, body };
}

/** textOf finds the text/plain part of a MIME entity and decodes it; '' when there is none. */
function textOf(entity: string): string {
  const { headers, body } = splitPart(entity);
  const type = headers.get('content-type') ?? 'text/plain';
  const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
  if (type.toLowerCase().startsWith('multipart/') && boundary !== undefined) {
    for (const part of body.split(`--${boundary}`).slice(1)) {
      const text = textOf(part.replace(/^\r?\n/, ''));
      if (text !== '') return text;
    }
    return '';
  }
  if (!type.toLowerCase().startsWith('text/plain')) return '';
  const encoding = (headers.get('content-transfer-encoding') ?? '7bit').toLowerCase();
  if (encoding === 'quoted-printable') return decodeQuotedPrintable(body);
  if (encoding === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  return body;
}

/** freePort asks the system for a free loopback port (for a server that must know its URL first). */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** startMailServer starts an SMTP server on a free loopback port. */
export async function startMailServer(): Promise<MailServer> {
  const mails: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const { headers } = splitPart(raw);
        mails.push({
          to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
          subject: decodeWords(headers.get('subject') ?? ''),
          text: textOf(raw),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}?tls=none`,
    mails,
    find: (to, subject) => mails.findLast((m) => m.to.includes(to.toLowerCase()) && subject.test(m.subject)),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** linkIn returns the first link in a mail's text to `path` (with its #token=… fragment). */
export function linkIn(mail: ReceivedMail, path: string): string {
  const escaped = path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const link = new RegExp(`https?://\\S+${escaped}#token=[A-Za-z0-9_-]+`).exec(mail.text)?.[0];
  if (link === undefined) throw new Error(`no ${path} link in the mail "${mail.subject}":\n${mail.text}`);
  return link;
}

/** codeIn returns the mail's code (the digits after "code"). */
export function codeIn(mail: ReceivedMail): string {
  const code = /code[^0-9]{0,40}(\d{6,8})\b/i.exec(mail.text)?.[1];
  if (code === undefined) throw new Error(`no code in the mail "${mail.subject}":\n${mail.text}`);
  return code;
}
