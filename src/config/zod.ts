// zod, as every module here imports it. The build (`npm run build`) replaces the compiled copy of
// this file with one bundled file of zod: zod 4 is 95 modules (64 of them locales), and loading
// them costs a command about 50 ms at start, more than the rest of `output list` together.
export { z } from 'zod';
