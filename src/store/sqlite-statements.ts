/** How every alert is saved, by `save` and by a merge window's close: the alert, then one pending delivery per output. */
export const INSERT_ALERT = 'INSERT OR IGNORE INTO alerts (id, rule_name, created, alert) VALUES (?, ?, ?, ?)';
export const INSERT_DELIVERY = "INSERT OR IGNORE INTO deliveries (alert_id, output, status, attempts, next_attempt_at, queued_at) VALUES (?, ?, 'pending', 0, ?, ?)";
