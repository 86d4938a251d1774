/**
 * Hosts of Office 365 connector webhooks ("Incoming Webhook"), which Microsoft retired: they
 * took MessageCards and stopped posting them.
 * https://devblogs.microsoft.com/microsoft365dev/retirement-of-office-365-connectors-within-microsoft-teams/
 */
function isRetiredConnector(host: string): boolean {
  return host.endsWith('.webhook.office.com') || host === 'outlook.office.com' || host === 'outlook.office365.com';
}

/**
 * What is wrong with a `teams` url, worded to follow the property name: only an Office 365
 * connector URL, refused with what to do instead. Any other URL is taken, a Workflows URL
 * (`*.logic.azure.com`, `*.powerplatform.com`, `*.powerautomate.com`) or a relay in front of one.
 *
 * @example
 *   teamsUrlProblem('https://contoso.webhook.office.com/webhookb2/...') // 'is an Office 365 connector URL ...'
 */
export function teamsUrlProblem(url: string): string | undefined {
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase();
  } catch {
    return undefined; // the URL check says what is wrong
  }
  if (!isRetiredConnector(host)) return undefined;
  return "is an Office 365 connector URL, and Microsoft retired those connectors: in the Teams channel, add the Workflows template 'Send webhook alerts to a channel' and use the URL it gives";
}
