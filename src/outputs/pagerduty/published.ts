import { SEVERITIES, type Severity } from '../../alerts/alert.ts';
import type { Publication } from '../output.ts';

/** What publishers may set on the trigger event; each field is absent when none did. */
export interface PublishedEventFields {
  summary?: string;
  customDetails?: unknown;
  severity?: Severity;
  clientUrl?: string;
  component?: string;
  group?: string;
  class?: string;
  links: PagerDutyLink[];
  images: PagerDutyImage[];
}

export interface PagerDutyLink {
  href: string;
  text?: string;
}

export interface PagerDutyImage {
  src: string;
  href?: string;
  alt?: string;
}

/**
 * The publication's PagerDuty fields, each read from the first of these that a publisher set:
 * StreamAlert's Events API v2 fields (`@pagerduty-v2.summary`, `.custom_details`, `.severity`,
 * `.client_url`, `.component`, `.group`, `.class`, `.links`, `.images`), ours
 * (`@pagerduty.summary`, `.custom_details`, `.links`, `.images`), then StreamAlert's Events API
 * v1 fields (`@pagerduty.description`, `.details`, `.client_url`, and `.contexts`, whose `link`
 * and `image` entries become links and images). One source per field, so a publisher that sets
 * both versions (StreamAlert's ShortenTitle, AttachImage) is not counted twice. Invalid entries
 * and a severity PagerDuty does not know are dropped.
 */
export function publishedEventFields(publication: Publication): PublishedEventFields {
  const first = (...keys: string[]): unknown => keys.map((key) => publication[key]).find((value) => value !== undefined);
  const text = (...keys: string[]) => nonEmptyString(first(...keys));
  const severity = first('@pagerduty-v2.severity');
  const contexts = Array.isArray(publication['@pagerduty.contexts']) ? (publication['@pagerduty.contexts'] as unknown[]).filter(isObject) : [];
  const linksValue = first('@pagerduty-v2.links', '@pagerduty.links') ?? contexts.filter((context) => context.type === 'link');
  const imagesValue = first('@pagerduty-v2.images', '@pagerduty.images') ?? contexts.filter((context) => context.type === 'image');
  return {
    summary: text('@pagerduty-v2.summary', '@pagerduty.summary', '@pagerduty.description'),
    customDetails: first('@pagerduty-v2.custom_details', '@pagerduty.custom_details', '@pagerduty.details'),
    severity: (SEVERITIES as readonly unknown[]).includes(severity) ? (severity as Severity) : undefined,
    clientUrl: text('@pagerduty-v2.client_url', '@pagerduty.client_url'),
    component: text('@pagerduty-v2.component'),
    group: text('@pagerduty-v2.group'),
    class: text('@pagerduty-v2.class'),
    links: standardLinks(linksValue),
    images: standardImages(imagesValue),
  };
}

function standardLinks(value: unknown): PagerDutyLink[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item: unknown) => {
    if (!isObject(item)) return [];
    const href = nonEmptyString(item.href);
    if (!href) return [];
    const text = nonEmptyString(item.text);
    return [text ? { href, text } : { href }];
  });
}

function standardImages(value: unknown): PagerDutyImage[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item: unknown) => {
    if (!isObject(item)) return [];
    const src = nonEmptyString(item.src);
    if (!src) return [];
    const href = nonEmptyString(item.href);
    const alt = nonEmptyString(item.alt);
    return [{ src, ...(href ? { href } : {}), ...(alt ? { alt } : {}) }];
  });
}

function nonEmptyString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
