-- The audit viewer filters the log by who acted and by what they did, newest first; the log
-- grows with every log-in, so neither may scan it.
CREATE INDEX audit_log_actor ON audit_log (actor_id, seq);
CREATE INDEX audit_log_action ON audit_log (action, seq)
