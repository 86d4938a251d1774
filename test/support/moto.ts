import { inject } from 'vitest';

/** moto_server's endpoint for this run, or '' when unavailable (see global-setup.ts). */
export const motoEndpoint = inject('motoEndpoint');

/** For `describe.skipIf(noMoto)`. */
export const noMoto = motoEndpoint === '';

let counter = 0;
/** A resource name no other test uses (moto is shared by every test file of a run). */
export function uniqueName(prefix: string): string {
  counter += 1;
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${counter}`;
}
