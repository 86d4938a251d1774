// Importing an output module registers its service (see `@output`). A new built-in service
// is one folder under src/outputs/ and one line here.
import './slack/slack.ts';
import './aws-s3/aws-s3.ts';
import './aws-lambda/aws-lambda.ts';
import './pagerduty/pagerduty.ts';
import './phantom/phantom.ts';
import './file/file.ts';
