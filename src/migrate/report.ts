import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** What an import did and did not do, line by line, as the command prints it. */
export interface ImportReport {
  /** Files copied unchanged from the checkout (project-relative paths). */
  readonly copied: string[];
  /** Files written from the checkout's: skeletons, a filtered outputs.json, our global.json. */
  readonly written: string[];
  /** Files the project already had, left as they were (an import never overwrites). */
  readonly kept: string[];
  /** `what: what to do instead`, one line each for what this port does not have. */
  readonly notCarried: string[];
  /** `file:line: ...` for each option or name a ported rule lost or needs done by hand. */
  readonly toPort: string[];
  /** `file:line: ...` for each rule or file that could not be read at all (nothing written for it). */
  readonly unparsed: string[];
  /** Rules that have no outputs yet (StreamAlert sent them only to its required firehose). */
  readonly withoutOutputs: string[];
  /** Problems the project has once imported, as `streamalert` commands will see them. */
  readonly projectProblems: string[];
}

export function emptyReport(): ImportReport {
  return { copied: [], written: [], kept: [], notCarried: [], toPort: [], unparsed: [], withoutOutputs: [], projectProblems: [] };
}

/**
 * Places files in the project: each only if nothing is there yet (`wx`, so a file that appears
 * meanwhile is not overwritten either), recorded in the report as copied, written or kept.
 */
export class ProjectWriter {
  constructor(
    readonly dir: string,
    private readonly report: ImportReport,
  ) {}

  place(path: string, content: string | Uint8Array, how: 'copied' | 'written'): boolean {
    const target = join(this.dir, path);
    mkdirSync(dirname(target), { recursive: true });
    try {
      writeFileSync(target, content, { flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      this.report.kept.push(path);
      return false;
    }
    this.report[how].push(path);
    return true;
  }
}
