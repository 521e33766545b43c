-- Retention of the billing logs (lib/billing/retention.ts deletes from the maintenance loop):
-- indexes so that each pass deletes the few rows that just aged out without a table scan.
create index if not exists stripe_events_received_idx on public.stripe_events (received_at);
create index if not exists billing_events_created_idx on public.billing_events (created_at);
