import nodemailer from 'nodemailer';
import type { NodemailerError } from 'nodemailer/lib/errors';
import { type MailSettings, mailConfigured, notConfiguredReason } from './mail-settings.ts';

/**
 * Sends one plain-text message through the configured SMTP server. Never throws: the answer
 * says whether the message was accepted by the server, or why not in words an administrator
 * can act on (never with the password).
 */
export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
}

export type SendResult = { sent: true; messageId: string } | { sent: false; problem: string };

/** How long to wait for the server; an invitation waits for this at most, then answers that the mail was not sent. */
export interface MailTimeouts {
  connectMs: number;
  greetingMs: number;
  socketMs: number;
}
export const MAIL_TIMEOUTS: MailTimeouts = { connectMs: 10_000, greetingMs: 10_000, socketMs: 20_000 };

function describeFailure(err: NodemailerError, s: MailSettings, timeouts: MailTimeouts): string {
  const where = `${s.host}:${s.port}`;
  const detail = err.message || String(err);
  const code = err.code ?? '';
  const original = err.originalCode ?? '';
  if (code === 'EDNS' || original === 'ENOTFOUND' || original === 'EAI_AGAIN') {
    return `The host name of the mail server (${s.host}) could not be resolved: ${detail}. Check the host in the mail settings.`;
  }
  if (original === 'ECONNREFUSED' || /ECONNREFUSED/.test(detail)) {
    return `The mail server ${where} refused the connection (${detail}). Check the host and the port in the mail settings, and that the server runs.`;
  }
  if (code === 'ETIMEDOUT') {
    const secs = (ms: number) => `${Math.round(ms / 1000)} s`;
    const wait =
      err.timeoutType === 'CONNECT_TIMEOUT'
        ? `no connection after ${secs(timeouts.connectMs)}`
        : err.timeoutType === 'GREETING_TIMEOUT'
          ? `connected, but no greeting after ${secs(timeouts.greetingMs)}`
          : err.timeoutType === 'UPGRADE_TIMEOUT'
            ? 'the TLS upgrade took too long'
            : `no answer for ${secs(timeouts.socketMs)}`;
    return `The mail server ${where} did not answer in time (${wait}). Check the host, the port and the security setting (tls on 465, starttls on 587).`;
  }
  if (code === 'EAUTH' || code === 'ENOAUTH') {
    return `The mail server ${where} refused the sign-in of user "${s.user ?? ''}": ${detail}. Check the user and the password in the mail settings.`;
  }
  if (code === 'ETLS' || code === 'EREQUIRETLS' || /TLS|SSL|certificate|wrong version number/i.test(detail)) {
    return `The secure connection to the mail server ${where} failed: ${detail}. Check the security setting (tls on port 465, starttls on 587).`;
  }
  if (code === 'EENVELOPE') {
    return `The mail server ${where} refused the sender or the recipient: ${detail}.`;
  }
  if (code === 'ECONNECTION' || code === 'ESOCKET') {
    return `The mail server ${where} could not be reached: ${detail}. Check the host and the port in the mail settings.`;
  }
  return `The mail server ${where} did not take the message: ${detail}.`;
}

/** Removes the password from a text, should a server ever echo it. */
function withoutSecret(text: string, secret: string | null): string {
  return secret ? text.split(secret).join('***') : text;
}

export async function sendMail(
  s: MailSettings,
  mail: OutgoingMail,
  timeouts: MailTimeouts = MAIL_TIMEOUTS,
): Promise<SendResult> {
  const reason = notConfiguredReason(s);
  if (reason || !mailConfigured(s)) return { sent: false, problem: reason ?? 'No SMTP server is configured.' };
  const transport = nodemailer.createTransport({
    host: s.host!,
    port: s.port,
    secure: s.security === 'tls',
    requireTLS: s.security === 'starttls',
    ignoreTLS: s.security === 'none',
    auth: s.user ? { user: s.user, pass: s.password ?? '' } : undefined,
    connectionTimeout: timeouts.connectMs,
    greetingTimeout: timeouts.greetingMs,
    socketTimeout: timeouts.socketMs,
    logger: false,
    debug: false,
  });
  try {
    const info = await transport.sendMail({ from: s.from!, to: mail.to, subject: mail.subject, text: mail.text });
    return { sent: true, messageId: info.messageId };
  } catch (err) {
    return { sent: false, problem: withoutSecret(describeFailure(err as NodemailerError, s, timeouts), s.password) };
  } finally {
    transport.close();
  }
}
