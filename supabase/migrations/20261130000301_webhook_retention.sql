-- Retention for outgoing webhooks: usage maintenance (lib/usage/maintenance.ts, every 30 s)
-- purges webhook history older than HISTORY_RETENTION_DAYS, like the call log. A message some
-- delivery of which is still pending or retrying is kept whatever its age (a replay or resend
-- of an old message is in flight).

create index webhook_messages_created_idx on public.webhook_messages (created_at);
create index webhook_attempts_attempted_idx on public.webhook_attempts (attempted_at);

/*
 * Deletes, at most p_batch rows each: attempts before p_before of finished deliveries; then
 * messages created before p_before that nothing is still delivering (their deliveries and
 * attempts go with them); then expiry markers of expiries before p_before (a key past its
 * expiry is never announced again). Returns attempts + messages deleted. Server only.
 */
create function public.purge_webhook_history(p_before timestamptz, p_batch integer default 10000) returns integer
language plpgsql security definer set search_path = '' as $$
declare
  v_attempts integer;
  v_messages integer;
begin
  delete from public.webhook_attempts where id in (
    select a.id from public.webhook_attempts a
      join public.webhook_deliveries d on d.id = a.delivery_id
     where a.attempted_at < p_before and d.status in ('delivered', 'failed')
     order by a.attempted_at limit p_batch
  );
  get diagnostics v_attempts = row_count;

  delete from public.webhook_messages where id in (
    select m.id from public.webhook_messages m
     where m.created_at < p_before
       and not exists (
         select 1 from public.webhook_deliveries d where d.message_id = m.id and d.status in ('pending', 'retrying')
       )
     order by m.created_at limit p_batch
  );
  get diagnostics v_messages = row_count;

  delete from public.webhook_key_expiring_marks where expires_at < p_before;
  return v_attempts + v_messages;
end
$$;
revoke all on function public.purge_webhook_history(timestamptz, integer) from public, anon, authenticated;
