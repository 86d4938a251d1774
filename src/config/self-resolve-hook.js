// Module resolve hook (registered by module-files.ts, with the URL of the running copy's entry):
// in a project's rules, publishers and outputs, `import ... from 'streamalert'` means the copy of
// StreamAlert that is running them. Plain JavaScript: the hook runs on Node's loader thread,
// before any TypeScript loader.
let self;

export async function initialize(data) {
  self = data.self;
}

export async function resolve(specifier, context, nextResolve) {
  // Resolved onward rather than short-circuited: a TypeScript loader registered before us (tsx, when
  // running from source) still sees the file and tells Node how to load it.
  return nextResolve(specifier === 'streamalert' ? self : specifier, context);
}
