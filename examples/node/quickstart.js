// Letta's multi-user guide from Node.js (node-postgres): the steps of examples/quickstart.sql.
// Connects with the libpq environment (PGHOST, PGPORT, PGUSER, PGDATABASE).
'use strict';
const { Client } = require('pg');

function show(title, value) {
  console.log(`== ${title}`);
  console.log(JSON.stringify(value, null, 2));
}

async function main() {
  const db = new Client();
  await db.connect();
  try {
    // 1. An identity for the app user Caren. to_jsonb(row) is Letta's JSON.
    const caren = (await db.query(
      `SELECT to_jsonb(i) - 'created_at' - 'updated_at' AS j
         FROM letta_create_identity(identifier_key => $1, name => $2, identity_type => 'user') i`,
      ['user_1', 'Caren'])).rows[0].j;
    show('1. identity', caren);

    // 2. An agent for Caren.
    const blocks = [
      { label: 'human', value: "The human's name is Caren." },
      { label: 'persona', value: 'I am a helpful assistant.' },
    ];
    const agent = (await db.query(
      `SELECT to_jsonb(a) - 'created_at' - 'updated_at' AS j
         FROM letta_create_agent(name => $1, memory_blocks => $2, model => $3,
                                 context_window_limit => $4, embedding => $5, identity_ids => $6) a`,
      ['caren-assistant', JSON.stringify(blocks), 'openai/gpt-4o-mini', 16000,
        'openai/text-embedding-3-small', [caren.id]])).rows[0].j;
    show('2. agent', agent);

    // 3. The agents of user_1.
    const mine = await db.query('SELECT name FROM letta_agents_by_key($1)', [['user_1']]);
    show('3. agents of user_1', mine.rows.map((r) => r.name));

    // 4. Sarah shares the agent.
    const sarah = (await db.query(
      'SELECT agent_ids FROM letta_create_identity(identifier_key => $1, name => $2, agent_ids => $3)',
      ['user_2', 'Sarah', [agent.id]])).rows[0];
    const users = (await db.query(
      'SELECT cardinality(identity_ids) AS n FROM letta_get_agent($1)', [agent.id])).rows[0].n;
    show("4. Sarah's agents are Caren's agent; users of the agent",
      { same_agent: JSON.stringify(sarah.agent_ids) === JSON.stringify([agent.id]), users });

    // 5. Tags: an agent tagged with the user id, found by that tag.
    await db.query('SELECT FROM letta_create_agent(name => $1, tags => $2)', ['tagged-assistant', ['user_1']]);
    const tagged = await db.query('SELECT name, tags FROM letta_list_agents(tags => $1)', [['user_1']]);
    show('5. agents tagged user_1', tagged.rows);
  } finally {
    await db.end();
  }
}

main().catch((err) => {
  console.error(`${err.code || ''} ${err.message}`);
  process.exit(1);
});
