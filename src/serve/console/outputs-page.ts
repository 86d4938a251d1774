import { maskSecret } from '../../cli/commands/output-get.ts';
import { storedOutput } from '../../cli/stored-output.ts';
import { propertyRole } from '../../config/output-config.ts';
import { configuredOutputs, loadProject } from '../../config/project.ts';
import { getService, loadServices } from '../../outputs/registry.ts';
import { createCredentialStore } from '../../secrets/create.ts';
import { form } from './dead-letters.ts';
import { resultText, time } from './format.ts';
import { html } from './html.ts';
import { layout, type PageFrame } from './layout.ts';
import type { ConsoleParts } from './parts.ts';
// The built-in services' declarations, which loadServices imports.
import '../../outputs/builtin.ts';

const WEEK_MS = 7 * 24 * 3_600_000;

/**
 * `/outputs`: each configured output (conf/ read again, as delivery does) with its properties
 * as `output get` shows them, secrets masked the same way, its last result, and a button that
 * sends a test alert.
 */
export async function outputsPage(parts: ConsoleParts, frame: PageFrame): Promise<string> {
  await loadServices();
  const project = loadProject(parts.project.dir);
  const credentials = createCredentialStore(project, { notice: (line) => parts.log.info(line) });
  const stats = await parts.store.attemptStats(Date.now() - WEEK_MS);
  const rows = await Promise.all(
    configuredOutputs(project.outputs).map(async ({ service, descriptor }) => {
      const name = `${service}:${descriptor}`;
      let cls;
      try {
        cls = getService(service);
      } catch (error) {
        return html`<tr><td>${name}</td><td class="problem">${(error as Error).message}</td><td></td><td></td></tr>`;
      }
      const { values, secretsProblem } = await storedOutput(project, credentials, cls, descriptor);
      const shown = Object.entries(cls.properties).flatMap(([prop, declared]) => {
        const role = propertyRole(cls, prop);
        if (role === 'descriptor') return [];
        const value = values[prop];
        if (role === 'secret') return [[prop, value !== undefined ? maskSecret(value) : secretsProblem ? '(cannot be read)' : '(not set)']];
        return [[prop, value ?? (declared.value ? `${declared.value} (default)` : '')]];
      });
      const last = stats[name];
      return html`<tr data-output="${name}"><td>${name}</td><td>${shown.map(([prop, value]) => html`<div><span class="muted">${prop}:</span> ${value}</div>`)}${secretsProblem ? html`<div class="problem">secrets could not be read: ${secretsProblem}</div>` : ''}</td>
<td>${last ? html`${time(last.lastAt)} ${resultText(last.lastResult)}` : html`<span class="muted">no attempt in 7 days</span>`}</td>
<td>${form(frame, '/outputs/test', { output: name }, 'Send test alert', `Send a labelled test alert to ${name}? It is a real alert: a paging service pages whoever is on call.`)}</td></tr>`;
    }),
  );
  const content = rows.length === 0
    ? html`<p class="muted">No outputs configured: streamalert output new --service SERVICE</p>`
    : html`<table><thead><tr><th>output</th><th>properties</th><th>last result</th><th></th></tr></thead><tbody>${rows}</tbody></table>`;
  return layout('Outputs', frame, content);
}
