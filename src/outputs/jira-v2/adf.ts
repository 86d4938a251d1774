import type { IssueContent } from '../jira-common/issue-content.ts';

/** The Atlassian Document Format nodes the Jira Cloud output writes. */
export interface AdfDocument {
  type: 'doc';
  version: 1;
  content: AdfBlock[];
}

export type AdfBlock =
  | { type: 'paragraph'; content: AdfText[] }
  | { type: 'codeBlock'; attrs: { language: string }; content: AdfText[] };

interface AdfText {
  type: 'text';
  text: string;
}

/**
 * Issue content as an ADF document: a paragraph each, then the alert in a JSON code block.
 * Text nodes may not be empty, so empty paragraphs are left out.
 * https://developer.atlassian.com/cloud/jira/platform/apis/document/structure/
 */
export function adfDocument(content: IssueContent): AdfDocument {
  const paragraphs: AdfBlock[] = content.paragraphs.filter((text) => text !== '').map((text) => ({ type: 'paragraph', content: [{ type: 'text', text }] }));
  const code: AdfBlock[] = content.code ? [{ type: 'codeBlock', attrs: { language: 'json' }, content: [{ type: 'text', text: content.code }] }] : [];
  return { type: 'doc', version: 1, content: [...paragraphs, ...code] };
}
