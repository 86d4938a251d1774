import ipaddr from 'ipaddr.js';

type Address = ipaddr.IPv4 | ipaddr.IPv6;

/**
 * StreamAlert's excluded_iocs: values never looked up. For `ip`, the entries are networks
 * (`10.0.0.0/8`, or one address), and once any ip exclusion is configured a value that is not
 * an IP address (an `*.amazonaws.com` host name in an address field) is skipped too, as
 * StreamAlert skips it. For other types, exact values.
 *
 * @example
 *   const excluded = new Exclusions({ ip: { '10.0.0.0/8': { comment: 'RFC1918' } } });
 *   excluded.has('ip', '10.1.2.3')  // true
 *   excluded.has('ip', '1.1.1.2')   // false
 */
export class Exclusions {
  readonly #networks: [Address, number][] | undefined;
  readonly #values = new Map<string, ReadonlySet<string>>();

  constructor(excluded: Readonly<Record<string, Readonly<Record<string, unknown>> | readonly string[]>>) {
    for (const [type, entries] of Object.entries(excluded)) {
      const values = Array.isArray(entries) ? entries : Object.keys(entries);
      if (type === 'ip') this.#networks = values.map(networkOf);
      else this.#values.set(type, new Set(values));
    }
  }

  has(type: string, value: string): boolean {
    if (type === 'ip' && this.#networks !== undefined) {
      const address = parseAddress(value);
      return address === undefined || this.#networks.some(([network, bits]) => address.kind() === network.kind() && address.match(network, bits));
    }
    return this.#values.get(type)?.has(value) ?? false;
  }
}

/** An IP address in its usual text form (four-part decimal or IPv6; IPv4-mapped IPv6 as IPv4), else undefined. */
export function parseAddress(value: string): Address | undefined {
  if (ipaddr.IPv4.isValidFourPartDecimal(value)) return ipaddr.IPv4.parse(value);
  if (!ipaddr.IPv6.isValid(value)) return undefined;
  const v6 = ipaddr.IPv6.parse(value);
  return v6.isIPv4MappedAddress() ? v6.toIPv4Address() : v6;
}

function networkOf(entry: string): [Address, number] {
  if (ipaddr.isValidCIDR(entry)) return ipaddr.parseCIDR(entry);
  const address = parseAddress(entry);
  if (address === undefined) throw new Error(`excluded_iocs.ip: '${entry}' is not an IP address or network (e.g. 10.0.0.0/8)`);
  return [address, address.kind() === 'ipv4' ? 32 : 128];
}
