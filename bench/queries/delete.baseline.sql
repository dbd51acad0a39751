-- Delete one agent (the same agents in the same order) from Letta's tables; its tags and links
-- go by ON DELETE CASCADE.
DELETE FROM letta_baseline.agents WHERE id = (SELECT bench.agent_id(nextval('bench.baseline_victim')));
