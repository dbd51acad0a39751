-- Data written with the 0.4.0 API before the upgrade: the 0.3.0 data (a bound role, a role
-- allowed to switch).
\ir data_0.3.0.sql
