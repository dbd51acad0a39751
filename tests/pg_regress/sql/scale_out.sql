-- The Citus administrators' functions on a database without Citus: clear refusals. (The
-- distributed suite, tests/citus, runs them on a coordinator and two workers.)
SELECT test.error_of($$ SELECT letta_distribute() $$);
SELECT test.error_of($$ SELECT letta_distribute(shard_count => 0) $$);
SELECT test.error_of($$ SELECT letta_drop_distributed_tables() $$);
SELECT _letta_distributed_tables() AS managed_by_citus;

-- Administrators only: a bound role may not call them.
CREATE ROLE letta_scale_out_app LOGIN;
SELECT letta_bind_role('letta_scale_out_app', 'org-44444444-4444-4444-8444-444444444444') AS bound;
GRANT USAGE ON SCHEMA test TO letta_scale_out_app;
SET ROLE letta_scale_out_app;
SELECT test.error_of($$ SELECT letta_distribute() $$);
SELECT test.error_of($$ SELECT letta_drop_distributed_tables() $$);
RESET ROLE;
REVOKE USAGE ON SCHEMA test FROM letta_scale_out_app;
SELECT letta_unbind_role('letta_scale_out_app') AS unbound;
DROP ROLE letta_scale_out_app;
