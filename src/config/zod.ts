// zod, as every module here imports it: `import { z } from '../config/zod.ts'`. The build bundles
// this file into one file of dist/ with only the parts named below (about 100 KB instead of
// zod's 95 modules, 64 of them locales, which cost a command about 50 ms at start). Using a part
// of zod not named here is a type error: add it to the list.
export * as z from './zod-parts.ts';
