// zod, as every module here imports it: `import { z } from '../config/zod.ts'`. The build bundles
// this file into one file of dist/ with only the parts named below (about 100 KB instead of
// zod's 95 modules, 64 of them locales, which cost a command about 50 ms at start). Using a part
// of zod not named here is a type error: add it to the list.
import * as z from './zod-parts.ts';

// Each schema here parses a file or two per process: compiling a parser for it (zod's default
// JIT, through new Function) costs more at start than it saves.
z.config({ jitless: true });

export { z };
