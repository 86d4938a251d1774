// The public API of the `streamalert` package: what rules and custom outputs import.
export * from './outputs/index.ts';
export { createAlert, toAlertDocument, SEVERITIES, type Alert, type AlertDocument, type Severity } from './alerts/alert.ts';
export { deliver, type DeliveryReport } from './delivery/deliver.ts';
export { Secret } from './secrets/secret.ts';
