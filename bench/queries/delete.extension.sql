-- Delete one agent (the agents of the dataset in turn), through the function.
SELECT letta_delete_agent(bench.agent_id(nextval('bench.extension_victim')));
