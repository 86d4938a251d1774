import { builtinService } from './registry.ts';

// The built-in services, each by id and the module that registers it (see `@output`), imported
// only when a command needs their classes (loadServices). A new built-in service is one folder
// under src/outputs/ and one line here.
builtinService('slack', () => import('./slack/slack.ts'));
builtinService('aws-s3', () => import('./aws-s3/aws-s3.ts'));
builtinService('aws-lambda', () => import('./aws-lambda/aws-lambda.ts'));
builtinService('aws-sns', () => import('./aws-sns/aws-sns.ts'));
builtinService('aws-sqs', () => import('./aws-sqs/aws-sqs.ts'));
builtinService('aws-firehose', () => import('./aws-firehose/aws-firehose.ts'));
builtinService('aws-lambda-v2', () => import('./aws-lambda-v2/aws-lambda-v2.ts'));
builtinService('aws-cloudwatch-log', () => import('./aws-cloudwatch-log/aws-cloudwatch-log.ts'));
builtinService('aws-ses', () => import('./aws-ses/aws-ses.ts'));
builtinService('pagerduty', () => import('./pagerduty/pagerduty.ts'));
builtinService('phantom', () => import('./phantom/phantom.ts'));
builtinService('file', () => import('./file/file.ts'));
builtinService('discord', () => import('./discord/discord.ts'));
builtinService('mattermost', () => import('./mattermost/mattermost.ts'));
builtinService('demisto', () => import('./demisto/demisto.ts'));
builtinService('carbonblack', () => import('./carbonblack/carbonblack.ts'));
builtinService('komand', () => import('./komand/komand.ts'));
builtinService('splunk-hec', () => import('./splunk-hec/splunk-hec.ts'));
builtinService('datadog', () => import('./datadog/datadog.ts'));
builtinService('telegram', () => import('./telegram/telegram.ts'));
builtinService('ntfy', () => import('./ntfy/ntfy.ts'));
builtinService('pushover', () => import('./pushover/pushover.ts'));
builtinService('rocketchat', () => import('./rocketchat/rocketchat.ts'));
builtinService('zulip', () => import('./zulip/zulip.ts'));
builtinService('jira', () => import('./jira/jira.ts'));
builtinService('jira-v2', () => import('./jira-v2/jira-v2.ts'));
builtinService('github', () => import('./github/github.ts'));
builtinService('servicenow', () => import('./servicenow/servicenow.ts'));
builtinService('email', () => import('./email/email.ts'));
builtinService('webhook', () => import('./webhook/webhook.ts'));
builtinService('teams', () => import('./teams/teams.ts'));
builtinService('google-chat', () => import('./google-chat/google-chat.ts'));
builtinService('pagerduty-v2', () => import('./pagerduty-v2/pagerduty-v2.ts'));
builtinService('pagerduty-incident', () => import('./pagerduty-incident/pagerduty-incident.ts'));
builtinService('victorops', () => import('./victorops/victorops.ts'));
builtinService('opsgenie', () => import('./opsgenie/opsgenie.ts'));
builtinService('slack-bot', () => import('./slack-bot/slack-bot.ts'));
