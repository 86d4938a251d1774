/**
 * One value a user supplies when configuring an output (the seed's OutputProperty).
 * The CLI prompts, the docs and the masked display are all generated from these declarations.
 */
export interface OutputProperty {
  /** Completes the prompt "Please supply <description>:". */
  readonly description: string;
  /** The default, used when the user gives nothing; '' means no default. */
  readonly value: string;
  /** Characters the value may not contain. Default: space and colon. */
  readonly inputRestrictions: ReadonlySet<string>;
  /** Read without echo at the prompt, and shown masked afterwards. */
  readonly maskInput: boolean;
  /** A credential: encrypted by the credentials backend, never written to conf/. */
  readonly credRequirement: boolean;
  /** May be left empty (e.g. an endpoint override). */
  readonly optional: boolean;
  /** When set, the only values accepted (e.g. 'true' and 'false'). */
  readonly choices?: readonly string[];
  /** An endpoint: the value must be an http:// or https:// URL, so a typo fails here, not at delivery. */
  readonly isUrl: boolean;
  /**
   * The service's own rule for a non-empty value (a template that must parse, a JSON object of
   * headers): what is wrong, said after the property name ("must be ..."), or undefined. It may
   * not quote the value (it may be a secret).
   */
  readonly check?: (value: string) => string | undefined;
}

/** Property names in prompt order; `descriptor` always comes first. */
export type OutputProperties = Readonly<Record<string, OutputProperty>>;

const DEFAULT_RESTRICTIONS: ReadonlySet<string> = new Set([' ', ':']);

/**
 * Declares a property with the seed's defaults: no space or colon, not masked, not a credential.
 *
 * @example
 *   property('the full Slack webhook url, including the secret', { secret: true })
 */
export function property(
  description: string,
  options: {
    value?: string;
    inputRestrictions?: Iterable<string>;
    /** Shorthand for maskInput + credRequirement, which go together for every built-in secret. */
    secret?: boolean;
    maskInput?: boolean;
    credRequirement?: boolean;
    optional?: boolean;
    choices?: readonly string[];
    /** The value is an http(s) URL (a webhook, an API base). */
    url?: boolean;
    /** The service's own rule for a non-empty value, run after the others (see OutputProperty.check). */
    check?: (value: string) => string | undefined;
  } = {},
): OutputProperty {
  return {
    description,
    value: options.value ?? '',
    inputRestrictions: options.inputRestrictions
      ? new Set(options.inputRestrictions)
      : DEFAULT_RESTRICTIONS,
    maskInput: options.maskInput ?? options.secret ?? false,
    credRequirement: options.credRequirement ?? options.secret ?? false,
    optional: options.optional ?? false,
    ...(options.choices ? { choices: options.choices } : {}),
    isUrl: options.url ?? false,
    ...(options.check ? { check: options.check } : {}),
  };
}

/**
 * An endpoint a user may leave empty for the vendor's own (another region's host, a proxy):
 * optional, defaulting to `defaultUrl`, an http(s) URL with no space (URLs hold colons).
 *
 * @example
 *   endpointProperty('the API host, only to override the default (EU region, proxy)', 'https://api.opsgenie.com')
 */
export function endpointProperty(description: string, defaultUrl: string): OutputProperty {
  return property(description, { value: defaultUrl, optional: true, url: true, inputRestrictions: [' '] });
}

/**
 * Checks one value against its property's rules. Returns what is wrong, or undefined if it is fine.
 * The message names the property and the offending character, never the value itself (it may be a secret).
 *
 * @example
 *   checkPropertyValue('url', property('the webhook url', { url: true }), 'notaurl')
 *   // "url must be a URL starting with https:// (or http://), e.g. https://example.com/path"
 */
export function checkPropertyValue(
  name: string,
  prop: OutputProperty,
  value: string,
): string | undefined {
  if (value === '') {
    return prop.optional || prop.value !== '' ? undefined : `${name} is required and may not be empty`;
  }
  if (prop.choices && !prop.choices.includes(value)) {
    return `${name} must be one of: ${prop.choices.join(', ')}`;
  }
  for (const char of prop.inputRestrictions) {
    if (value.includes(char)) {
      return `${name} may not contain ${describeChar(char)}`;
    }
  }
  if (prop.isUrl && !isHttpUrl(value)) return `${name} must be a URL starting with https:// (or http://), e.g. https://example.com/path`;
  const problem = prop.check?.(value);
  return problem === undefined ? undefined : `${name} ${problem}`;
}

function isHttpUrl(value: string): boolean {
  try {
    const { protocol, hostname } = new URL(value);
    return (protocol === 'https:' || protocol === 'http:') && hostname !== '';
  } catch {
    return false;
  }
}

function describeChar(char: string): string {
  if (char === ' ') return 'a space';
  if (char === ':') return 'a colon (:)';
  return `the character ${JSON.stringify(char)}`;
}
