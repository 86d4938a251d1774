import { hostname } from 'node:os';
import type { Alert } from '../../alerts/alert.ts';
import type { Publication } from '../output.ts';
import type { Failed } from '../result.ts';
import { fitRecord } from '../text/fit-record.ts';

/**
 * The largest request we send: Splunk Enterprise's default `max_content_length` for HEC
 * ([http_input] in limits.conf), so one event fits a server left at its defaults.
 * https://docs.splunk.com/Documentation/Splunk/latest/Admin/Limitsconf
 */
export const HEC_MAX_BODY_BYTES = 800_000;

/** The body of POST /services/collector/event, as built here (tests read it). */
export interface HecEvent {
  time: number;
  host: string;
  source: 'streamalert';
  sourcetype: string;
  index?: string;
  event: Publication;
}

export interface HecEventOptions {
  sourcetype: string;
  /** Empty: the token's default index. */
  index: string;
  /** Empty: this machine's name. */
  host: string;
}

/**
 * One alert as one HEC event: the alert document as the event, timed when the alert was
 * created (epoch seconds, with milliseconds), under the source `streamalert`. Over
 * HEC_MAX_BODY_BYTES the record is cut (text/fit-record.ts), so the event still indexes and
 * says it was cut; failed as too_large when even the rest of the document is.
 * https://docs.splunk.com/Documentation/Splunk/latest/Data/FormateventsforHTTPEventCollector
 */
export function buildHecEvent(alert: Alert, publication: Publication, options: HecEventOptions): HecEvent | Failed {
  const envelope = {
    time: alert.created.getTime() / 1000,
    host: options.host || hostname(),
    source: 'streamalert',
    sourcetype: options.sourcetype,
    ...(options.index ? { index: options.index } : {}),
  } as const;
  return fitRecord(publication.record, HEC_MAX_BODY_BYTES, (record) => ({ ...envelope, event: { ...publication, record } }));
}
