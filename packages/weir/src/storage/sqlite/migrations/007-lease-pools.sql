-- Pools: a lease holds the pool slots its step:started carries (body $.pool), and they are
-- released with it. NULL: no pool (no step:started before this version carries one). A unit of
-- several partitions holds its slots on the lease of its first step:started (the others hold
-- 0), so the use of a pool is the sum over its leases.
ALTER TABLE leases ADD COLUMN pool TEXT;
ALTER TABLE leases ADD COLUMN slots INTEGER;
CREATE INDEX leases_by_pool ON leases (pool) WHERE pool IS NOT NULL;
