// A module resolve hook for tests of what a command loads: appends every URL resolved to the
// file named in the data it is registered with. Plain JavaScript: it runs on Node's loader thread.
import { appendFileSync } from 'node:fs';

let out;

export async function initialize(data) {
  out = data.out;
}

export async function resolve(specifier, context, nextResolve) {
  const resolved = await nextResolve(specifier, context);
  appendFileSync(out, `${resolved.url}\n`);
  return resolved;
}
