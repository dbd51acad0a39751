-- letta_identity 0.5.0 -> 0.6.0 (in progress).

\echo Use "ALTER EXTENSION letta_identity UPDATE TO '0.6.0'" to load this file. \quit
