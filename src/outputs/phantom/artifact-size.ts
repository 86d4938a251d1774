import type { CefValue } from './cef.ts';

/**
 * The largest artifact request we send. Splunk SOAR documents no size limit for its REST API;
 * it is a Django application, and Django refuses request bodies over 2.5 MB by default
 * (DATA_UPLOAD_MAX_MEMORY_SIZE, 2,621,440 bytes:
 * https://docs.djangoproject.com/en/stable/ref/settings/#data-upload-max-memory-size), so an
 * artifact is kept within that: a refused one would leave no trace of the alert in SOAR.
 */
export const SOAR_ARTIFACT_MAX_BYTES = 2_621_440;

/** The CEF field that says an artifact's record was cut. */
export const TRUNCATED_FIELD = 'streamalert_truncated';

/** The parts of an artifact that grow with the record. */
export interface SizedArtifact {
  readonly cef: Record<string, CefValue>;
  readonly data: Readonly<Record<string, unknown>>;
  readonly [field: string]: unknown;
}

/**
 * `artifact` as it is when its JSON fits in SOAR_ARTIFACT_MAX_BYTES. Else the record is cut:
 * `data` keeps the alert document without its record, `cef` keeps its first fields that fit
 * and a `streamalert_truncated` note saying how much was left out. Undefined when even that is
 * too large (a publisher made the rest of the document huge).
 *
 * @example
 *   fitArtifact({ container_id: 1, cef: { blob: 'x'.repeat(3e6) }, data: { record: { blob: '...' } } })
 *   // { container_id: 1, cef: { streamalert_truncated: 'the record was cut: ...' }, data: { record: 'the record was cut: ...' } }
 */
export function fitArtifact<A extends SizedArtifact>(artifact: A): A | undefined {
  const bytes = jsonBytes(artifact);
  if (bytes <= SOAR_ARTIFACT_MAX_BYTES) return artifact;
  const note = `the record was cut: the artifact was ${bytes} bytes, over the ${SOAR_ARTIFACT_MAX_BYTES}-byte bound; the alert store keeps it whole`;
  const data = { ...artifact.data, record: note };
  const bare = { ...artifact, data, cef: { [TRUNCATED_FIELD]: note } };
  let room = SOAR_ARTIFACT_MAX_BYTES - jsonBytes(bare);
  if (room < 0) return undefined;
  const cef: Record<string, CefValue> = {};
  for (const [key, value] of Object.entries(artifact.cef)) {
    // The field, its colon and the comma before the next one.
    const size = jsonBytes(key) + jsonBytes(value) + 2;
    if (size > room) break;
    cef[key] = value;
    room -= size;
  }
  return { ...bare, cef: { ...cef, [TRUNCATED_FIELD]: note } };
}

function jsonBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value) ?? 'null');
}
