// Importing an output module registers its service (see `@output`). A new built-in service
// is one folder under src/outputs/ and one line here.
import './slack/slack.ts';
