-- The first page of agents by updated_at (order_by), newest first.
SELECT * FROM letta_list_agents(order_by => 'updated_at');
