import type { IncomingMessage } from 'node:http';
import { BlockList, isIP } from 'node:net';
import { RequestError } from './errors.ts';
import type { ServeTokens } from './tokens.ts';

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

/**
 * Whether `host` only accepts clients on this machine (127.0.0.0/8, ::1, localhost).
 *
 * @example
 *   isLoopback('127.0.0.1')  // true
 *   isLoopback('0.0.0.0')    // false: every interface
 */
export function isLoopback(host: string): boolean {
  if (host === 'localhost') return true;
  const family = isIP(host);
  return family !== 0 && LOOPBACK.check(host, family === 4 ? 'ipv4' : 'ipv6');
}

/**
 * Lets a request through when it carries a current token (`Authorization: Bearer T`), or when
 * no token is needed: none exists and `alwaysRequired` is false (a server on loopback). Throws a
 * 401 RequestError otherwise. A tokens file that cannot be read fails closed (an error, not a pass).
 *
 * @example
 *   authenticate(request, new ServeTokens(project.dir), !isLoopback(host));
 */
export function authenticate(request: IncomingMessage, tokens: ServeTokens, alwaysRequired: boolean): string | undefined {
  if (!alwaysRequired && !tokens.any()) return undefined;
  const presented = /^Bearer +(\S+) *$/i.exec(request.headers.authorization ?? '')?.[1];
  if (presented === undefined) {
    throw new RequestError(401, "this API needs a bearer token: send 'Authorization: Bearer <token>' ('streamalert token create --name NAME' makes one)", {
      headers: { 'www-authenticate': 'Bearer realm="streamalert"' },
    });
  }
  const holder = tokens.holderOf(presented);
  if (holder === undefined) {
    throw new RequestError(401, "the bearer token is not valid (revoked, or mistyped): 'streamalert token list' shows the current ones", {
      headers: { 'www-authenticate': 'Bearer realm="streamalert", error="invalid_token"' },
    });
  }
  return holder;
}
