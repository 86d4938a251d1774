/** One indicator of compromise, in the shape of StreamAlert's IOC table items and test fixtures. */
export interface Indicator {
  /** The value itself: an IP address, a domain, a hash. */
  readonly ioc_value: string;
  /** `ip`, `domain`, `md5`, ... */
  readonly ioc_type?: string;
  /** What kind of threat: `mal_ip`, `c2_domain`, ... */
  readonly sub_type?: string;
}

/** The record key StreamAlert writes the matches under: `{"ip": ["1.1.1.2"], "domain": ["evil.com"]}`. */
export const IOC_KEY = 'streamalert:ioc';
