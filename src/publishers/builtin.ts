// The built-in publishers. Importing this module registers them; rules name them as strings
// (ours, or StreamAlert's module paths: `publishers.community.slack.slack_layout.Summary`).
import './generic.ts';
import './slack-layout.ts';
import './slack-summary.ts';
import './pagerduty-layout.ts';
