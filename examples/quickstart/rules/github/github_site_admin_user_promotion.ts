import { rule } from 'streamalert';

/** A GitHub Enterprise user became a site administrator: full control over every repository. */
export const github_site_admin_user_promotion = rule(
  {
    logs: ['github:audit'],
    // Local audit trail for the quickstart. In production: ['slack:sec-alerts', 'aws-s3:audit'] (docs/outputs/README.md, Strategy).
    outputs: ['file:alerts'],
    publishers: { slack: 'slack_summary' },
    context: { summary_fields: ['actor', 'user', 'actor_ip'] },
    description: 'A GitHub Enterprise user account was promoted to site administrator',
  },
  (rec) => rec.action === 'user.promote',
);
