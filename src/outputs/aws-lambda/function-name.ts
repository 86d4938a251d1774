/** Where to send an Invoke: the FunctionName and Qualifier parameters, and the ARN's region if it names one. */
export interface FunctionTarget {
  /** A function name, a partial ARN or a full ARN, without the qualifier. */
  readonly functionName: string;
  /** A version number, an alias or $LATEST, passed as Invoke's Qualifier parameter. */
  readonly qualifier?: string;
  /** The region a full ARN names: Lambda invokes only functions of the client's own region. */
  readonly region?: string;
}

// The forms of Invoke's FunctionName, from its pattern in
// https://docs.aws.amazon.com/lambda/latest/dg/API_Invoke.html#API_Invoke_RequestSyntax
const NAME = '[a-zA-Z0-9_.-]{1,64}';
const REGION = '[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\\d';
const QUALIFIER = '(?::(\\$LATEST(?:\\.PUBLISHED)?|[a-zA-Z0-9_-]+))?';
/** arn:aws:lambda:us-east-1:123456789012:function:name[:qualifier]; groups: function, region, qualifier. */
const FULL_ARN = new RegExp(`^(arn:aws[a-zA-Z-]*:lambda:(${REGION}):\\d{12}:function:${NAME})${QUALIFIER}$`);
/** 123456789012:function:name[:qualifier] or name[:qualifier]; groups: function, qualifier. */
const PARTIAL_ARN_OR_NAME = new RegExp(`^((?:\\d{12}:function:)?${NAME})${QUALIFIER}$`);

/**
 * Splits a configured function (StreamAlert's `name[:qualifier]`, or a full or partial ARN with
 * an optional qualifier) into Invoke's parameters. Returns undefined when the value is none of
 * the forms Lambda accepts.
 *
 * @example
 *   parseFunctionName('enrich:production')
 *   // { functionName: 'enrich', qualifier: 'production' }
 *   parseFunctionName('arn:aws:lambda:eu-west-1:123456789012:function:enrich:7')
 *   // { functionName: 'arn:aws:lambda:eu-west-1:123456789012:function:enrich', qualifier: '7', region: 'eu-west-1' }
 */
export function parseFunctionName(value: string): FunctionTarget | undefined {
  const full = FULL_ARN.exec(value);
  if (full) return target(full[1]!, full[3], full[2]);
  const short = PARTIAL_ARN_OR_NAME.exec(value);
  if (short) return target(short[1]!, short[2]);
  return undefined;
}

function target(functionName: string, qualifier: string | undefined, region?: string): FunctionTarget {
  return {
    functionName,
    ...(qualifier === undefined ? {} : { qualifier }),
    ...(region === undefined ? {} : { region }),
  };
}
