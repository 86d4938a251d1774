/**
 * The value of a Basic `Authorization` header (RFC 7617).
 *
 * @example
 *   basicAuthorization('alice', 'pw') // 'Basic YWxpY2U6cHc='
 */
export function basicAuthorization(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`;
}
