import { isIP } from 'node:net';
import { verifiesTls } from '../http/verify-tls.ts';

export const SECURITY_CHOICES = ['starttls', 'tls', 'none'] as const;
export type Security = (typeof SECURITY_CHOICES)[number];

/** Recipients one output mails at most: a list, not a mailing list (use the relay's for that). */
export const MAX_RECIPIENTS = 50;
/** RFC 5321 section 4.5.3.1.3: a path (an address) is at most 256 octets, brackets included. */
const MAX_ADDRESS_CHARS = 254;

/** An output's SMTP settings, checked. */
export interface SmtpSettings {
  host: string;
  port: number;
  security: Security;
  username: string;
  password: string;
  from: string;
  to: string[];
  verifyTls: boolean;
}

/** The values of an email output's properties, as `setting()` reads them. */
export type SmtpValues = Record<'host' | 'port' | 'security' | 'username' | 'password' | 'from' | 'to' | 'verify_tls', string>;

/**
 * The settings, or what is wrong with them (naming the property, never a value that may be a
 * secret). `to` is a comma-separated list of at most 50 addresses. A password is never sent
 * in clear (`security` none) to a relay other than this machine.
 *
 * @example
 *   smtpSettings({ host: 'smtp.example.com', port: '587', security: 'starttls', to: 'soc@example.com, oncall@example.com', ... })
 */
export function smtpSettings(values: SmtpValues): SmtpSettings | string {
  const problem = named('port', checkPort(values.port)) ?? named('from', checkAddresses(values.from, 1)) ?? named('to', checkAddresses(values.to));
  if (problem) return problem;
  const security = values.security as Security;
  if (!SECURITY_CHOICES.includes(security)) return `security must be one of: ${SECURITY_CHOICES.join(', ')}`;
  if (security === 'none' && values.password !== '' && !isLoopback(values.host)) {
    return 'security none would send the password in clear over the network: use starttls or tls (none is for a relay on this machine)';
  }
  return { host: values.host, port: Number(values.port), security, username: values.username, password: values.password, from: values.from, to: recipients(values.to), verifyTls: verifiesTls(values.verify_tls) };
}

/** What is wrong with a port, said after its name, or undefined: a whole number from 1 to 65535. */
export function checkPort(value: string): string | undefined {
  const port = Number(value);
  return Number.isInteger(port) && port >= 1 && port <= 65_535 ? undefined : 'must be a number from 1 to 65535';
}

/**
 * What is wrong with a comma-separated list of at most `max` addresses, said after the
 * property's name, or undefined. It names a bad address by its place, never quotes it.
 */
export function checkAddresses(value: string, max = MAX_RECIPIENTS): string | undefined {
  const addresses = recipients(value);
  if (addresses.length === 0 || addresses.length > max) {
    return max === 1 ? 'must name one address' : `must name 1 to ${max} addresses, separated by commas (use a mailing list for more)`;
  }
  const bad = addresses.findIndex((address) => !looksLikeAddress(address));
  if (bad === -1) return undefined;
  return `must hold e-mail addresses (user@example.com or Name <user@example.com>)${max === 1 ? '' : `, separated by commas: address ${bad + 1} is not one`}`;
}

function named(name: string, problem: string | undefined): string | undefined {
  return problem === undefined ? undefined : `${name} ${problem}`;
}

/** The addresses of a comma-separated list, trimmed, empty entries dropped. */
export function recipients(value: string): string[] {
  return value.split(',').map((address) => address.trim()).filter((address) => address !== '');
}

/** `user@host`, or `Name <user@host>`: nodemailer parses the rest; this catches a typo before a relay does. */
function looksLikeAddress(text: string): boolean {
  return text.length <= MAX_ADDRESS_CHARS && /^(?:[^<>@]*<)?[^\s<>@]+@[^\s<>@]+>?$/.test(text);
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || (isIP(host) === 4 && host.startsWith('127.')) || host === '::1';
}
