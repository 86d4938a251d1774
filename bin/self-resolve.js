// Module resolve hook: in a project's rules and publishers, `import ... from 'streamalert'`
// means the copy of StreamAlert that is running them. A project made by `streamalert init`
// then needs no node_modules of its own, and rules always share the CLI's registries.
const self = new URL('../src/index.ts', import.meta.url).href;

export async function resolve(specifier, context, nextResolve) {
  if (specifier === 'streamalert') return { url: self, shortCircuit: true };
  return nextResolve(specifier, context);
}
