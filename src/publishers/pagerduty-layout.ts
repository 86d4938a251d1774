// StreamAlert's PagerDuty publishers (publishers/community/pagerduty/pagerduty_layout.py). They
// set the fields of all three of StreamAlert's PagerDuty outputs: `@pagerduty-v2.*` (Events API
// v2, which our `pagerduty` output speaks), `@pagerduty.*` (Events API v1) and
// `@pagerduty-incident.*` (the REST API incident); our output reads the first two.
import { stringifyArraysPublisher } from './generic.ts';
import { publisher } from './publisher.ts';

const LAYOUT = 'publishers.community.pagerduty.pagerduty_layout';

/** The incident title is the rule's name alone, without "StreamAlert Rule Triggered - ". */
export const pagerdutyShortenTitle = publisher(
  'pagerduty_shorten_title',
  (alert, publication) => {
    publication['@pagerduty-v2.summary'] = alert.ruleName;
    publication['@pagerduty-incident.incident_title'] = alert.ruleName;
    publication['@pagerduty.description'] = alert.ruleName;
    return publication;
  },
  { aliases: [`${LAYOUT}.ShortenTitle`] },
);

/**
 * The publication so far, less its `@pagerduty*` fields, becomes the incident's custom details
 * (`@pagerduty-v2.custom_details` and `@pagerduty.details`).
 */
export const pagerdutyAsCustomDetails = publisher(
  'pagerduty_as_custom_details',
  (_alert, publication) => {
    const details = Object.fromEntries(Object.entries(publication).filter(([key]) => !key.startsWith('@pagerduty')));
    publication['@pagerduty.details'] = details;
    publication['@pagerduty-v2.custom_details'] = details;
    return publication;
  },
  { aliases: [`${LAYOUT}.as_custom_details`] },
);

/** Severity `critical` (and, for incidents, urgency `high`). */
export const pagerdutyHighUrgency = publisher(
  'pagerduty_v2_high_urgency',
  (_alert, publication) => {
    publication['@pagerduty-v2.severity'] = 'critical';
    publication['@pagerduty-incident.urgency'] = 'high';
    return publication;
  },
  { aliases: [`${LAYOUT}.v2_high_urgency`] },
);

/** Severity `warning` (and, for incidents, urgency `low`). */
export const pagerdutyLowUrgency = publisher(
  'pagerduty_v2_low_urgency',
  (_alert, publication) => {
    publication['@pagerduty-v2.severity'] = 'warning';
    publication['@pagerduty-incident.urgency'] = 'low';
    return publication;
  },
  { aliases: [`${LAYOUT}.v2_low_urgency`] },
);

/**
 * Lists of scalars become their items separated by a ruled line: PagerDuty's details table shows
 * a list as quoted JSON strings and ignores their line breaks.
 */
export const pagerdutyPrettyPrintArrays = stringifyArraysPublisher('pagerduty_pretty_print_arrays', '\n\n----------\n\n', [`${LAYOUT}.PrettyPrintArrays`]);

/** An image shown on the incident: `src` its URL, `href` where a click goes, `alt` its text. */
export interface AttachedImage {
  src: string;
  href: string;
  alt: string;
}

/**
 * A publisher that attaches `image` to the event (`@pagerduty-v2.images`, and
 * `@pagerduty.contexts` for Events API v1). StreamAlert's way is a subclass of AttachImage.
 *
 * @example
 *   export const runbook_graph = attachImagePublisher('runbook_graph', { src: 'https://wiki.example.com/flow.png', href: 'https://wiki.example.com/runbook', alt: 'Runbook' });
 */
export function attachImagePublisher(name: string, image: AttachedImage, aliases: readonly string[] = []) {
  return publisher(
    name,
    (_alert, publication) => {
      publication['@pagerduty-v2.images'] = [...listAt(publication['@pagerduty-v2.images']), { ...image }];
      publication['@pagerduty.contexts'] = [...listAt(publication['@pagerduty.contexts']), { type: 'image', src: image.src }];
      return publication;
    },
    { aliases },
  );
}

/** Attaches StreamAlert's banner, linking to its documentation (StreamAlert's default image). */
export const pagerdutyAttachImage = attachImagePublisher(
  'pagerduty_attach_image',
  { src: 'https://streamalert.io/en/stable/_images/sa-banner.png', href: 'https://streamalert.io/en/stable/', alt: 'StreamAlert Docs' },
  [`${LAYOUT}.AttachImage`],
);

/**
 * Our own: the publication so far, less its `@` output fields, in `@pagerduty.custom_details`,
 * which PagerDuty shows as the incident's details table. Start the list with `default` to send
 * the whole alert document. https://developer.pagerduty.com/docs/events-api-v2/trigger-events/
 */
export const pagerdutyCustomDetails = publisher('pagerduty_custom_details', (_alert, publication) => {
  const details = Object.fromEntries(Object.entries(publication).filter(([key]) => !key.startsWith('@')));
  return { ...publication, '@pagerduty.custom_details': details };
});

function listAt(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
