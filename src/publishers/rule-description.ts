/**
 * A rule description read as StreamAlert reads it (streamalert/shared/description.py,
 * RuleDescriptionParser.present): lines of `field: value`, a field's value running on over the
 * lines after it until the next field; text before any field is the `description`.
 */
export interface RuleDescriptionPresentation {
  /** The `author` (or `maintainer`) field. */
  author: string;
  description: string;
  /** Every other field, lower case, in the order they first appear. */
  fields: Map<string, string>;
}

/** A field label: at most 20 letters, digits, `-_&` and spaces, never a URL's scheme. */
const FIELD = /^(?!http:|https:)([a-zA-Z\d\-_&\s]{0,20}):([\s\S]*)$/;

/**
 * @example
 *   presentRuleDescription('author: Derek\nnote: for testing\n  only').fields.get('note')  // 'for testing only'
 */
export function presentRuleDescription(ruleDescription: string): RuleDescriptionPresentation {
  const presentation: RuleDescriptionPresentation = { author: '', description: '', fields: new Map() };
  for (const [field, lines] of parse(ruleDescription)) {
    if (field === 'author' || field === 'maintainer') presentation.author = joinLines(lines);
    else if (field === 'description') presentation.description = joinLines(lines);
    else presentation.fields.set(field, joinLines(lines));
  }
  return presentation;
}

function parse(ruleDescription: string): Map<string, string[]> {
  const fields = new Map<string, string[]>();
  let current = 'description';
  const linesOf = (field: string): string[] => {
    if (!fields.has(field)) fields.set(field, []);
    return fields.get(field)!;
  };
  for (const token of ruleDescription.trim().split('\n').map((line) => line.trim())) {
    linesOf(current);
    if (token === '') {
      linesOf(current).push('');
      continue;
    }
    const match = FIELD.exec(token);
    if (match) current = match[1]!.trim().toLowerCase();
    linesOf(current).push(match ? match[2]!.trim() : token);
  }
  return fields;
}

/**
 * A field's lines as one text: lines joined by a space, blank lines kept as line breaks, and a
 * long URL split over lines put back together.
 */
function joinLines(lines: readonly string[]): string {
  let document: string | undefined;
  let bufferedNewlines = '';
  for (const line of lines) {
    if (line === '') {
      bufferedNewlines += '\n';
      continue;
    }
    if (document === undefined) {
      bufferedNewlines = '';
      document = line;
    } else if (looksLikeUrl(document + line)) {
      document += line;
    } else {
      document += (bufferedNewlines || ' ') + line;
      bufferedNewlines = '';
    }
  }
  return document ?? '';
}

const HOST_CHARS = /^[\w.-]*/;
const URL_CHARS = /^[\w\-._~:/?#[\]@!$&'()*+,;=]+$/;

/**
 * StreamAlert's URL test, `^(?:http(s)?://)?[\w.-]+(?:\.[\w.-]+)+[<url chars>]+$`, decided in
 * one pass: the pattern itself backtracks exponentially on a long line that is not a URL.
 * It holds when the text (after an optional scheme) is all URL characters, and its leading run
 * of `[\w.-]`, less the last character of the text, has a `.` with a character either side.
 */
function looksLikeUrl(text: string): boolean {
  const candidates = [text, text.replace(/^https?:\/\//, '')];
  return candidates.some((rest) => {
    if (!URL_CHARS.test(rest)) return false;
    const host = HOST_CHARS.exec(rest)![0].slice(0, rest.length - 1);
    return host.slice(1, -1).includes('.');
  });
}
