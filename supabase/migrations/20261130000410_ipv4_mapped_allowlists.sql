-- IPv4-mapped IPv6 addresses (::ffff:a.b.c.d) are the IPv4 address a.b.c.d: a dual-stack
-- socket reports IPv4 clients that way, and people paste them into allowlists. PostgreSQL's
-- `<<=` never matches across families, so both sides are compared unmapped.

-- ::ffff:a.b.c.d/(96+n) → a.b.c.d/n; every other value unchanged. Inlinable (plain SQL,
-- immutable), so the hot path pays no function call.
create or replace function private.unmap_ipv4(a inet) returns inet
language sql immutable strict parallel safe set search_path = '' as $$
  select case
    when family(a) = 6 and masklen(a) >= 96 and a <<= '::ffff:0.0.0.0/96'::inet
      then set_masklen('0.0.0.0'::inet + (host(a)::inet - '::ffff:0.0.0.0'::inet), masklen(a) - 96)
    else a
  end
$$;
revoke execute on function private.unmap_ipv4(inet) from public, anon, authenticated;

-- verify_api_call unmaps the caller and each allowlist entry with this function: its one
-- definition, with the other changes of this release, is in 20261130000700_truthful_keys.sql.
