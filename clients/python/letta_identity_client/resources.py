"""The resources, with letta-client's method names and arguments, over the SQL functions.

Written once for both clients: each method builds a `Call` and hands it to the client's runner,
which runs it and returns the result (sync client) or an awaitable of it (async client).
Every method takes `organization_id=`, the organization of that call alone (default: the
client's). Arguments Letta has and this model does not (tools, llm_config, ...) are not
accepted, rather than silently dropped.
"""

from __future__ import annotations

from typing import Any, Callable, Dict, List, Optional, Sequence, Union

from . import _calls as c
from .types import AgentState, Block, Identity, IdentityProperty, Memory

Runner = Callable[[c.Call[Any], Optional[str]], Any]
Properties = Sequence[Union[IdentityProperty, Dict[str, Any], Any]]


class _Resource:
    def __init__(self, run: Runner) -> None:
        self._run = run


class _IdentityLinks(_Resource):
    """An identity linked to, or unlinked from, an agent or a block: True when that changed."""

    def _link(self, function: str, identity_id: str, other: str, other_id: str,
              organization_id: Optional[str]) -> bool:
        return self._run(c.scalar(c.value_of(function, [
            c.required("identity_id", identity_id, "text"),
            c.required(other, other_id, "text"),
        ])), organization_id)


# Identities --------------------------------------------------------------------------------

class IdentityProperties(_Resource):
    def upsert(self, identity_id: str, *, request: Properties,
               organization_id: Optional[str] = None) -> Identity:
        """Replaces the identity's properties (Letta's PUT .../properties). Letta returns
        nothing; this returns the identity."""
        return self._run(c.one(Identity, c.rows_of("letta_upsert_identity_properties", [
            c.required("identity_id", identity_id, "text"),
            c.required("properties", c.as_json(list(request)), "jsonb"),
        ])), organization_id)


class IdentityAgents(_Resource):
    def list(self, identity_id: str, *, before: Optional[str] = None, after: Optional[str] = None,
             limit: Optional[int] = None, order: Optional[str] = None,
             include_hidden: Optional[bool] = None, include_memory: Optional[bool] = None,
             include_identities: Optional[bool] = None,
             organization_id: Optional[str] = None) -> List[AgentState]:
        return self._run(c.many(AgentState, c.rows_of("letta_identity_agents", [
            c.required("identity_id", identity_id, "text"),
            ("include_hidden", include_hidden, "boolean"),
            ("before", before, "text"), ("after", after, "text"),
            ("page_size", limit, "integer"), ("ascending", c.ascending_from(order), "boolean"),
            ("include_memory", include_memory, "boolean"),
            ("include_identities", include_identities, "boolean"),
        ])), organization_id)


class IdentityBlocks(_Resource):
    def list(self, identity_id: str, *, before: Optional[str] = None, after: Optional[str] = None,
             limit: Optional[int] = None, order: Optional[str] = None,
             organization_id: Optional[str] = None) -> List[Block]:
        return self._run(c.many(Block, c.rows_of("letta_identity_blocks", [
            c.required("identity_id", identity_id, "text"),
            ("before", before, "text"), ("after", after, "text"),
            ("page_size", limit, "integer"), ("ascending", c.ascending_from(order), "boolean"),
        ])), organization_id)


class Identities(_Resource):
    def __init__(self, run: Runner) -> None:
        super().__init__(run)
        self.properties = IdentityProperties(run)
        self.agents = IdentityAgents(run)
        self.blocks = IdentityBlocks(run)

    def create(self, *, identifier_key: str, name: str, identity_type: str = "user",
               project_id: Optional[str] = None, agent_ids: Optional[Sequence[str]] = None,
               block_ids: Optional[Sequence[str]] = None, properties: Optional[Properties] = None,
               organization_id: Optional[str] = None) -> Identity:
        return self._run(c.one(Identity, c.rows_of("letta_create_identity", [
            c.required("identifier_key", identifier_key, "text"),
            c.required("name", name, "text"),
            c.required("identity_type", identity_type, "text"),
            ("project_id", project_id, "text"),
            ("agent_ids", c.as_list(agent_ids), "text[]"),
            ("properties", c.as_json(c.as_list(properties)), "jsonb"),
            ("block_ids", c.as_list(block_ids), "text[]"),
        ])), organization_id)

    def upsert(self, *, identifier_key: str, name: str, identity_type: str = "user",
               project_id: Optional[str] = None, agent_ids: Optional[Sequence[str]] = None,
               block_ids: Optional[Sequence[str]] = None, properties: Optional[Properties] = None,
               organization_id: Optional[str] = None) -> Identity:
        """Letta's PUT: creates the identity when absent (where Letta answers 404); replaces
        name, type and properties; `agent_ids` / `block_ids` given become exactly the links."""
        return self._run(c.one(Identity, c.rows_of("letta_upsert_identity", [
            c.required("identifier_key", identifier_key, "text"),
            c.required("name", name, "text"),
            c.required("identity_type", identity_type, "text"),
            ("project_id", project_id, "text"),
            ("agent_ids", c.as_list(agent_ids), "text[]"),
            ("properties", c.as_json(c.as_list(properties)), "jsonb"),
            ("block_ids", c.as_list(block_ids), "text[]"),
        ])), organization_id)

    def retrieve(self, identity_id: str, *, organization_id: Optional[str] = None) -> Identity:
        return self._run(c.one(Identity, c.rows_of("letta_get_identity", [
            c.required("identity_id", identity_id, "text"),
        ])), organization_id)

    def list(self, *, name: Optional[str] = None, project_id: Optional[str] = None,
             identifier_key: Optional[str] = None, identity_type: Optional[str] = None,
             before: Optional[str] = None, after: Optional[str] = None,
             limit: Optional[int] = None, order: Optional[str] = None,
             order_by: Optional[str] = None, property_key: Optional[str] = None,
             property_value: Any = None, properties: Optional[Sequence[Dict[str, Any]]] = None,
             organization_id: Optional[str] = None) -> List[Identity]:
        """Letta's filters, then the extension's: one property (`property_key`, optionally
        `property_value`) or several (`properties`, a list of {"key", "value"?} conditions)."""
        return self._run(c.many(Identity, c.rows_of("letta_list_identities", [
            *_identity_filters(name, project_id, identifier_key, identity_type,
                               property_key, property_value, properties),
            ("before", before, "text"), ("after", after, "text"),
            ("page_size", limit, "integer"), ("ascending", c.ascending_from(order), "boolean"),
            ("order_by", order_by, "text"),
        ])), organization_id)

    def count(self, *, name: Optional[str] = None, project_id: Optional[str] = None,
              identifier_key: Optional[str] = None, identity_type: Optional[str] = None,
              property_key: Optional[str] = None, property_value: Any = None,
              properties: Optional[Sequence[Dict[str, Any]]] = None,
              organization_id: Optional[str] = None) -> int:
        return self._run(c.scalar(c.value_of("letta_count_identities", _identity_filters(
            name, project_id, identifier_key, identity_type, property_key, property_value,
            properties))), organization_id)

    def modify(self, identity_id: str, *, identifier_key: Optional[str] = None,
               name: Optional[str] = None, identity_type: Optional[str] = None,
               agent_ids: Optional[Sequence[str]] = None, block_ids: Optional[Sequence[str]] = None,
               properties: Optional[Properties] = None,
               organization_id: Optional[str] = None) -> Identity:
        """Letta's PATCH: given values overwrite, properties merge by key, `agent_ids` and
        `block_ids` are added to the links."""
        return self._run(c.one(Identity, c.rows_of("letta_update_identity", [
            c.required("identity_id", identity_id, "text"),
            ("identifier_key", identifier_key, "text"), ("name", name, "text"),
            ("identity_type", identity_type, "text"),
            ("agent_ids", c.as_list(agent_ids), "text[]"),
            ("block_ids", c.as_list(block_ids), "text[]"),
            ("properties", c.as_json(c.as_list(properties)), "jsonb"),
        ])), organization_id)

    update = modify  # letta-client 1.x's name

    def delete(self, identity_id: str, *, organization_id: Optional[str] = None) -> None:
        """Deletes the identity and its links; its agents and blocks stay."""
        return self._run(c.nothing(c.value_of("letta_delete_identity", [
            c.required("identity_id", identity_id, "text"),
        ])), organization_id)


def _identity_filters(name: Optional[str], project_id: Optional[str],
                      identifier_key: Optional[str], identity_type: Optional[str],
                      property_key: Optional[str], property_value: Any,
                      properties: Optional[Sequence[Dict[str, Any]]]) -> List[c.Arg]:
    return [
        ("name", name, "text"), ("project_id", project_id, "text"),
        ("identifier_key", identifier_key, "text"), ("identity_type", identity_type, "text"),
        ("property_key", property_key, "text"), ("property_value", property_value, "jsonb"),
        ("properties", c.as_json(c.as_list(properties)), "jsonb"),
    ]


# Agents ------------------------------------------------------------------------------------

class AgentBlocks(_Resource):
    def list(self, agent_id: str, *, organization_id: Optional[str] = None) -> List[Block]:
        """The blocks in the agent's own memory, oldest first."""
        return self._run(c.many(Block, c.rows_of("letta_agent_blocks", [
            c.required("agent_id", agent_id, "text"),
        ])), organization_id)

    def retrieve(self, agent_id: str, block_label: str, *,
                 organization_id: Optional[str] = None) -> Block:
        return self._run(c.one(Block, c.rows_of("letta_get_agent_block", [
            c.required("agent_id", agent_id, "text"),
            c.required("block_label", block_label, "text"),
        ])), organization_id)

    def modify(self, agent_id: str, block_label: str, *, value: Optional[str] = None,
               limit: Optional[int] = None, project_id: Optional[str] = None,
               label: Optional[str] = None, read_only: Optional[bool] = None,
               description: Optional[str] = None, metadata: Optional[Dict[str, Any]] = None,
               hidden: Optional[bool] = None, tags: Optional[Sequence[str]] = None,
               organization_id: Optional[str] = None) -> Block:
        """The block with that label in the agent's memory, changed (one statement: the label
        is resolved and the block updated together)."""
        block_id = c.Subquery("(SELECT id FROM letta_get_agent_block(%s::text, %s::text))",
                              (agent_id, block_label))
        return self._run(c.one(Block, c.rows_of("letta_update_block", [
            c.required("block_id", block_id, "text"),
            *_block_changes(label, value, limit, description, metadata, read_only, project_id,
                            hidden, tags),
        ])), organization_id)

    def attach(self, agent_id: str, block_id: str, *,
               organization_id: Optional[str] = None) -> AgentState:
        """Puts the block in the agent's memory; returns the agent, as Letta does."""
        return self._run(c.one(AgentState, _get_agent(agent_id), c.value_of(
            "letta_attach_agent_block", [c.required("agent_id", agent_id, "text"),
                                         c.required("block_id", block_id, "text")])),
            organization_id)

    def detach(self, agent_id: str, block_id: str, *,
               organization_id: Optional[str] = None) -> AgentState:
        """Takes the block out of the agent's memory (the block stays); returns the agent."""
        return self._run(c.one(AgentState, _get_agent(agent_id), c.value_of(
            "letta_detach_agent_block", [c.required("agent_id", agent_id, "text"),
                                         c.required("block_id", block_id, "text")])),
            organization_id)


class AgentIdentities(_IdentityLinks):
    """letta-client 1.x's `client.agents.identities` (0.1.x had no such calls)."""

    def attach(self, identity_id: str, *, agent_id: str,
               organization_id: Optional[str] = None) -> bool:
        """Links the identity and the agent; True when the link is new."""
        return self._link("letta_attach_agent", identity_id, "agent_id", agent_id, organization_id)

    def detach(self, identity_id: str, *, agent_id: str,
               organization_id: Optional[str] = None) -> bool:
        """Unlinks them; True when there was a link."""
        return self._link("letta_detach_agent", identity_id, "agent_id", agent_id, organization_id)


class AgentCoreMemory(_Resource):
    def retrieve(self, agent_id: str, *, organization_id: Optional[str] = None) -> Memory:
        """What the agent remembers: its own blocks, then its identities' blocks (each label
        once). Letta's agents never saw their identities' blocks."""
        statement = c.rows_of("letta_agent_memory", [c.required("agent_id", agent_id, "text")])
        return self._run(c.Call((statement,), lambda rows: Memory(
            blocks=[Block.model_validate(row) for row in rows])), organization_id)


def _get_agent(agent_id: str) -> c.Statement:
    return c.rows_of("letta_get_agent", [c.required("agent_id", agent_id, "text")])


class Agents(_Resource):
    def __init__(self, run: Runner) -> None:
        super().__init__(run)
        self.blocks = AgentBlocks(run)
        self.identities = AgentIdentities(run)
        self.core_memory = AgentCoreMemory(run)

    def create(self, *, name: Optional[str] = None,
               memory_blocks: Optional[Sequence[Any]] = None,
               block_ids: Optional[Sequence[str]] = None, tags: Optional[Sequence[str]] = None,
               metadata: Optional[Dict[str, Any]] = None, model: Optional[str] = None,
               embedding: Optional[str] = None, context_window_limit: Optional[int] = None,
               project_id: Optional[str] = None, identity_ids: Optional[Sequence[str]] = None,
               hidden: Optional[bool] = None, id: Optional[str] = None,
               organization_id: Optional[str] = None) -> AgentState:
        """`memory_blocks` as Letta's CreateBlock (models or dicts): each a new block in the
        agent's memory. `id` keeps an agent id from a Letta server when mirroring agents."""
        return self._run(c.one(AgentState, c.rows_of("letta_create_agent", [
            ("name", name, "text"), ("tags", c.as_list(tags), "text[]"),
            ("identity_ids", c.as_list(identity_ids), "text[]"),
            ("model", model, "text"), ("embedding", embedding, "text"),
            ("context_window_limit", context_window_limit, "integer"),
            ("memory_blocks", c.as_json(c.as_list(memory_blocks)), "jsonb"),
            ("project_id", project_id, "text"), ("metadata", metadata, "jsonb"),
            ("id", id, "text"), ("hidden", hidden, "boolean"),
            ("block_ids", c.as_list(block_ids), "text[]"),
        ])), organization_id)

    def retrieve(self, agent_id: str, *, organization_id: Optional[str] = None) -> AgentState:
        return self._run(c.one(AgentState, _get_agent(agent_id)), organization_id)

    def list(self, *, name: Optional[str] = None,
             tags: Union[str, Sequence[str], None] = None, match_all_tags: Optional[bool] = None,
             before: Optional[str] = None, after: Optional[str] = None,
             limit: Optional[int] = None, query_text: Optional[str] = None,
             project_id: Optional[str] = None, identity_id: Optional[str] = None,
             identifier_keys: Union[str, Sequence[str], None] = None,
             include_relationships: Union[str, Sequence[str], None] = None,
             order: Optional[str] = None, order_by: Optional[str] = None,
             ascending: Optional[bool] = None, include_hidden: Optional[bool] = None,
             include_memory: Optional[bool] = None, include_identities: Optional[bool] = None,
             exclude_tags: Optional[Sequence[str]] = None, all_tags: Optional[Sequence[str]] = None,
             metadata: Optional[Dict[str, Any]] = None,
             organization_id: Optional[str] = None) -> List[AgentState]:
        """Letta's filters, ANDed; newest first. `memory_blocks` and `identities` are filled
        only when asked (`include_relationships=["memory", "identities"]`, or
        `include_memory` / `include_identities`): Letta loads every relationship unless told."""
        relationships = set(c.as_list(include_relationships) or ())
        return self._run(c.many(AgentState, c.rows_of("letta_list_agents", [
            *_agent_filters(tags, match_all_tags, identifier_keys, identity_id, name, query_text,
                            project_id, include_hidden, exclude_tags, all_tags, metadata),
            ("before", before, "text"), ("after", after, "text"),
            ("page_size", limit, "integer"),
            ("ascending", c.ascending_from(order, ascending), "boolean"),
            ("include_memory", include_memory or ("memory" in relationships) or None, "boolean"),
            ("include_identities", include_identities or ("identities" in relationships) or None,
             "boolean"),
            ("order_by", order_by, "text"),
        ])), organization_id)

    def count(self, *, name: Optional[str] = None,
              tags: Union[str, Sequence[str], None] = None, match_all_tags: Optional[bool] = None,
              query_text: Optional[str] = None, project_id: Optional[str] = None,
              identity_id: Optional[str] = None,
              identifier_keys: Union[str, Sequence[str], None] = None,
              include_hidden: Optional[bool] = None, exclude_tags: Optional[Sequence[str]] = None,
              all_tags: Optional[Sequence[str]] = None, metadata: Optional[Dict[str, Any]] = None,
              organization_id: Optional[str] = None) -> int:
        """The number of agents `list` would give with the same filters (Letta counts all)."""
        return self._run(c.scalar(c.value_of("letta_count_agents", _agent_filters(
            tags, match_all_tags, identifier_keys, identity_id, name, query_text, project_id,
            include_hidden, exclude_tags, all_tags, metadata))), organization_id)

    def modify(self, agent_id: str, *, name: Optional[str] = None,
               tags: Optional[Sequence[str]] = None, metadata: Optional[Dict[str, Any]] = None,
               project_id: Optional[str] = None, identity_ids: Optional[Sequence[str]] = None,
               model: Optional[str] = None, embedding: Optional[str] = None,
               hidden: Optional[bool] = None, context_window_limit: Optional[int] = None,
               memory_blocks: Optional[Sequence[Any]] = None,
               organization_id: Optional[str] = None) -> AgentState:
        """None keeps a value; `tags` and `identity_ids` given replace exactly ([] clears)."""
        return self._run(c.one(AgentState, c.rows_of("letta_update_agent", [
            c.required("agent_id", agent_id, "text"),
            ("name", name, "text"), ("tags", c.as_list(tags), "text[]"),
            ("identity_ids", c.as_list(identity_ids), "text[]"),
            ("model", model, "text"), ("embedding", embedding, "text"),
            ("context_window_limit", context_window_limit, "integer"),
            ("memory_blocks", c.as_json(c.as_list(memory_blocks)), "jsonb"),
            ("project_id", project_id, "text"), ("metadata", metadata, "jsonb"),
            ("hidden", hidden, "boolean"),
        ])), organization_id)

    update = modify  # letta-client 1.x's name

    def delete(self, agent_id: str, *, keep_blocks: bool = False,
               organization_id: Optional[str] = None) -> None:
        """Deletes the agent, its links, and the blocks only it had (`keep_blocks=True` keeps
        them, as Letta does)."""
        return self._run(c.nothing(c.value_of("letta_delete_agent", [
            c.required("agent_id", agent_id, "text"),
            ("keep_blocks", keep_blocks, "boolean"),
        ])), organization_id)


def _agent_filters(tags: Any, match_all_tags: Optional[bool], identifier_keys: Any,
                   identity_id: Optional[str], name: Optional[str], query_text: Optional[str],
                   project_id: Optional[str], include_hidden: Optional[bool],
                   exclude_tags: Optional[Sequence[str]], all_tags: Optional[Sequence[str]],
                   metadata: Optional[Dict[str, Any]]) -> List[c.Arg]:
    return [
        ("tags", c.as_list(tags), "text[]"), ("match_all_tags", match_all_tags, "boolean"),
        ("identifier_keys", c.as_list(identifier_keys), "text[]"),
        ("identity_id", identity_id, "text"), ("name", name, "text"),
        ("query_text", query_text, "text"), ("project_id", project_id, "text"),
        ("include_hidden", include_hidden, "boolean"),
        ("exclude_tags", c.as_list(exclude_tags), "text[]"),
        ("all_tags", c.as_list(all_tags), "text[]"), ("metadata", metadata, "jsonb"),
    ]


# Blocks ------------------------------------------------------------------------------------

class BlockAgents(_Resource):
    def list(self, block_id: str, *, before: Optional[str] = None, after: Optional[str] = None,
             limit: Optional[int] = None, order: Optional[str] = None,
             include_relationships: Union[str, Sequence[str], None] = None,
             include_hidden: Optional[bool] = None,
             organization_id: Optional[str] = None) -> List[AgentState]:
        """The agents whose memory has the block."""
        relationships = set(c.as_list(include_relationships) or ())
        return self._run(c.many(AgentState, c.rows_of("letta_block_agents", [
            c.required("block_id", block_id, "text"),
            ("include_hidden", include_hidden, "boolean"),
            ("before", before, "text"), ("after", after, "text"),
            ("page_size", limit, "integer"), ("ascending", c.ascending_from(order), "boolean"),
            ("include_memory", "memory" in relationships or None, "boolean"),
            ("include_identities", "identities" in relationships or None, "boolean"),
        ])), organization_id)


class BlockIdentities(_IdentityLinks):
    """Identities sharing a block: as `client.agents.identities`, for blocks (the extension's;
    Letta links them only through `block_ids` on the identity)."""

    def attach(self, identity_id: str, *, block_id: str,
               organization_id: Optional[str] = None) -> bool:
        return self._link("letta_attach_block", identity_id, "block_id", block_id, organization_id)

    def detach(self, identity_id: str, *, block_id: str,
               organization_id: Optional[str] = None) -> bool:
        return self._link("letta_detach_block", identity_id, "block_id", block_id, organization_id)


class Blocks(_Resource):
    def __init__(self, run: Runner) -> None:
        super().__init__(run)
        self.agents = BlockAgents(run)
        self.identities = BlockIdentities(run)

    def create(self, *, value: str, label: str, limit: Optional[int] = None,
               project_id: Optional[str] = None, read_only: Optional[bool] = None,
               description: Optional[str] = None, metadata: Optional[Dict[str, Any]] = None,
               hidden: Optional[bool] = None, identity_ids: Optional[Sequence[str]] = None,
               tags: Optional[Sequence[str]] = None,
               organization_id: Optional[str] = None) -> Block:
        return self._run(c.one(Block, c.rows_of("letta_create_block", [
            c.required("label", label, "text"), c.required("value", value, "text"),
            ("char_limit", limit, "integer"), ("description", description, "text"),
            ("metadata", metadata, "jsonb"),
            ("identity_ids", c.as_list(identity_ids), "text[]"),
            ("read_only", read_only, "boolean"), ("project_id", project_id, "text"),
            ("hidden", hidden, "boolean"), ("tags", c.as_list(tags), "text[]"),
        ])), organization_id)

    def retrieve(self, block_id: str, *, organization_id: Optional[str] = None) -> Block:
        return self._run(c.one(Block, c.rows_of("letta_get_block", [
            c.required("block_id", block_id, "text"),
        ])), organization_id)

    def list(self, *, label: Optional[str] = None, identity_id: Optional[str] = None,
             identifier_keys: Union[str, Sequence[str], None] = None,
             project_id: Optional[str] = None, limit: Optional[int] = None,
             before: Optional[str] = None, after: Optional[str] = None,
             order: Optional[str] = None, label_search: Optional[str] = None,
             description_search: Optional[str] = None, value_search: Optional[str] = None,
             connected_to_agents_count_gt: Optional[int] = None,
             connected_to_agents_count_lt: Optional[int] = None,
             connected_to_agents_count_eq: Union[int, Sequence[int], None] = None,
             tags: Union[str, Sequence[str], None] = None, match_all_tags: Optional[bool] = None,
             include_hidden: Optional[bool] = None,
             organization_id: Optional[str] = None) -> List[Block]:
        """Letta's filters, ANDed. Newest first, as every list here (Letta's block list is
        oldest first: pass order="asc")."""
        return self._run(c.many(Block, c.rows_of("letta_list_blocks", [
            *_block_filters(label, label_search, value_search, description_search, identity_id,
                            identifier_keys, project_id, tags, match_all_tags,
                            connected_to_agents_count_gt, connected_to_agents_count_lt,
                            connected_to_agents_count_eq, include_hidden),
            ("before", before, "text"), ("after", after, "text"),
            ("page_size", limit, "integer"), ("ascending", c.ascending_from(order), "boolean"),
        ])), organization_id)

    def count(self, *, label: Optional[str] = None, identity_id: Optional[str] = None,
              identifier_keys: Union[str, Sequence[str], None] = None,
              project_id: Optional[str] = None, label_search: Optional[str] = None,
              description_search: Optional[str] = None, value_search: Optional[str] = None,
              connected_to_agents_count_gt: Optional[int] = None,
              connected_to_agents_count_lt: Optional[int] = None,
              connected_to_agents_count_eq: Union[int, Sequence[int], None] = None,
              tags: Union[str, Sequence[str], None] = None, match_all_tags: Optional[bool] = None,
              include_hidden: Optional[bool] = None,
              organization_id: Optional[str] = None) -> int:
        return self._run(c.scalar(c.value_of("letta_count_blocks", _block_filters(
            label, label_search, value_search, description_search, identity_id, identifier_keys,
            project_id, tags, match_all_tags, connected_to_agents_count_gt,
            connected_to_agents_count_lt, connected_to_agents_count_eq, include_hidden))),
            organization_id)

    def modify(self, block_id: str, *, value: Optional[str] = None, limit: Optional[int] = None,
               project_id: Optional[str] = None, label: Optional[str] = None,
               read_only: Optional[bool] = None, description: Optional[str] = None,
               metadata: Optional[Dict[str, Any]] = None, hidden: Optional[bool] = None,
               tags: Optional[Sequence[str]] = None,
               organization_id: Optional[str] = None) -> Block:
        """A read-only block refuses a change (ConflictError) unless `read_only=False` is given
        in the same call."""
        return self._run(c.one(Block, c.rows_of("letta_update_block", [
            c.required("block_id", block_id, "text"),
            *_block_changes(label, value, limit, description, metadata, read_only, project_id,
                            hidden, tags),
        ])), organization_id)

    update = modify  # letta-client 1.x's name

    def delete(self, block_id: str, *, organization_id: Optional[str] = None) -> None:
        return self._run(c.nothing(c.value_of("letta_delete_block", [
            c.required("block_id", block_id, "text"),
        ])), organization_id)


def _block_changes(label: Optional[str], value: Optional[str], limit: Optional[int],
                   description: Optional[str], metadata: Optional[Dict[str, Any]],
                   read_only: Optional[bool], project_id: Optional[str],
                   hidden: Optional[bool], tags: Optional[Sequence[str]]) -> List[c.Arg]:
    return [
        ("label", label, "text"), ("value", value, "text"), ("char_limit", limit, "integer"),
        ("description", description, "text"), ("metadata", metadata, "jsonb"),
        ("read_only", read_only, "boolean"), ("project_id", project_id, "text"),
        ("hidden", hidden, "boolean"), ("tags", c.as_list(tags), "text[]"),
    ]


def _block_filters(label: Optional[str], label_search: Optional[str],
                   value_search: Optional[str], description_search: Optional[str],
                   identity_id: Optional[str], identifier_keys: Any, project_id: Optional[str],
                   tags: Any, match_all_tags: Optional[bool], count_gt: Optional[int],
                   count_lt: Optional[int], count_eq: Union[int, Sequence[int], None],
                   include_hidden: Optional[bool]) -> List[c.Arg]:
    return [
        ("label", label, "text"), ("label_search", label_search, "text"),
        ("value_search", value_search, "text"),
        ("description_search", description_search, "text"),
        ("identity_id", identity_id, "text"),
        ("identifier_keys", c.as_list(identifier_keys), "text[]"),
        ("project_id", project_id, "text"), ("tags", c.as_list(tags), "text[]"),
        ("match_all_tags", match_all_tags, "boolean"),
        ("connected_to_agents_count_gt", count_gt, "integer"),
        ("connected_to_agents_count_lt", count_lt, "integer"),
        ("connected_to_agents_count_eq", c.as_list(count_eq), "integer[]"),
        ("include_hidden", include_hidden, "boolean"),
    ]


# Tags --------------------------------------------------------------------------------------

class Tags(_Resource):
    def list(self, *, before: Optional[str] = None, after: Optional[str] = None,
             limit: Optional[int] = None, order: Optional[str] = None,
             query_text: Optional[str] = None, name: Optional[str] = None,
             organization_id: Optional[str] = None) -> List[str]:
        """The distinct tags of the organization's agents and blocks, ascending by default;
        the cursors are tags."""
        statement = c.rows_of("letta_list_tags", [
            ("query_text", query_text, "text"), ("before", before, "text"),
            ("after", after, "text"), ("page_size", limit, "integer"), ("name", name, "text"),
            ("ascending", c.ascending_from(order), "boolean"),
        ])
        return self._run(c.Call((statement,), lambda rows: [row["tag"] for row in rows]),
                         organization_id)
