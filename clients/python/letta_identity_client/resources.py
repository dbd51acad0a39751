"""The resources, with letta-client's method names and arguments, over the SQL functions.

Written once for both clients: each method builds a `Call` and hands it to the client's runner,
which runs it and returns the result (sync client) or an awaitable of it (async client).
Every method takes `organization_id=`, the organization of that call alone (default: the
client's), and every keyword letta-client 0.1.324 takes on the same method. A Letta keyword
this model has no column for is either accepted and dropped (NO_EFFECT, below) or refused with
an UnprocessableEntityError that names it (REFUSED). `llm_config` and `embedding_config` keep
what an agent row holds: the model handle (`handle`, else "model_endpoint_type/model") unless
`model` is given, `context_window` unless `context_window_limit` is, and the embedding handle
unless `embedding` is.
"""

from __future__ import annotations

from typing import Any, Callable, Dict, List, Optional, Sequence, Union

from . import _calls as c
from .errors import api_error
from .types import (AgentId, AgentState, Block, BlockId, ForgetResult, Identity, IdentityId,
                    IdentityProperty, Memory)

Runner = Callable[[c.Call[Any], Optional[str]], Any]
Properties = Sequence[Union[IdentityProperty, Dict[str, Any], Any]]

_RUNTIME = "for a Letta server running the agent; an agent row here keeps no such setting"

# Letta keywords accepted and dropped: they steer how a Letta server runs an agent (its
# prompt, tools, LLM, messages), which an agent row here does not hold. Returned agents show
# Letta's defaults for them (system "", tools [], sources [], ...).
NO_EFFECT: Dict[str, str] = {
    "request_options": "letta-client's HTTP options (timeout, retries, headers); a call here is "
                       "one SQL transaction (set statement_timeout on the role or the pool)",
    "system": f"the system prompt: {_RUNTIME}",
    "agent_type": f"the agent loop: {_RUNTIME}",
    "tools": f"tools: {_RUNTIME}",
    "tool_ids": f"tools: {_RUNTIME}",
    "tool_rules": f"tool rules: {_RUNTIME}",
    "include_base_tools": f"tools: {_RUNTIME}",
    "include_multi_agent_tools": f"tools: {_RUNTIME}",
    "include_base_tool_rules": f"tool rules: {_RUNTIME}",
    "tool_exec_environment_variables": f"tool settings: {_RUNTIME}",
    "secrets": f"tool settings: {_RUNTIME}",
    "source_ids": f"data sources: {_RUNTIME}",
    "include_default_source": f"data sources: {_RUNTIME}",
    "initial_message_sequence": f"messages: {_RUNTIME}",
    "message_ids": f"messages: {_RUNTIME}",
    "message_buffer_autoclear": f"messages: {_RUNTIME}",
    "max_tokens": f"LLM settings: {_RUNTIME}",
    "max_reasoning_tokens": f"LLM settings: {_RUNTIME}",
    "enable_reasoner": f"LLM settings: {_RUNTIME}",
    "reasoning": f"LLM settings: {_RUNTIME}",
    "response_format": f"LLM settings: {_RUNTIME}",
    "embedding_chunk_size": f"embedding settings: {_RUNTIME}",
    "enable_sleeptime": f"sleep-time agents: {_RUNTIME}",
    "last_run_completion": f"run statistics: {_RUNTIME}",
    "last_run_duration_ms": f"run statistics: {_RUNTIME}",
    "timezone": f"prompt settings: {_RUNTIME}",
    "max_files_open": f"file settings: {_RUNTIME}",
    "per_file_view_window_char_limit": f"file settings: {_RUNTIME}",
    "description": "an agent row has no description (on blocks, the description is kept)",
    "preserve_on_migration": "a block's setting for template migrations; there are no templates",
    "include_relationships": "on agents.retrieve, which always reads the memory and identities "
                             "(the lists honour it)",
}

_TEMPLATES = "Letta Cloud's templates are not part of this model"

# Letta keywords refused (422 naming the keyword) when given a value (None, False, "" and []
# ask for nothing): each asks for something this model lacks, and dropping it would quietly
# give something else (another agent than the template's, a list ignoring its filter).
REFUSED: Dict[str, str] = {
    "from_template": _TEMPLATES,
    "template": _TEMPLATES,
    "memory_variables": f"template variables: {_TEMPLATES}",
    "project": "a Letta Cloud project slug: pass project_id",
    "template_id": _TEMPLATES,
    "base_template_id": _TEMPLATES,
    "deployment_id": f"template deployments: {_TEMPLATES}",
    "entity_id": f"template deployments: {_TEMPLATES}",
    "is_template": _TEMPLATES,
    "templates_only": _TEMPLATES,
    "name": f"a block's name is its template's name: {_TEMPLATES} (agents keep their name)",
}


def _relationships(include_relationships: Union[str, Sequence[str], None]) -> set:
    """The relationships a list loads: every one this model has ("memory", "identities") unless
    include_relationships names fewer, as Letta loads them all unless told."""
    if include_relationships is None:
        return {"memory", "identities"}
    return set(c.as_list(include_relationships) or ())


def _refuse(**given: Any) -> None:
    """A REFUSED keyword given a value is an invalid request, as Letta refuses a bad body."""
    for keyword, value in given.items():
        if value:
            raise api_error("22023", f"{keyword} is not supported here: {REFUSED[keyword]}")


def _one_order(keyword: str, value: Optional[str], only: str) -> None:
    """A list sorted one way takes that way only (Letta: 422 for another value)."""
    if value is not None and value != only:
        raise api_error("22023", f'{keyword} must be "{only}" (the only order of this list), '
                                 f"got {value!r}")


def _config_field(config: Any, name: str) -> Any:
    """A field of a Letta LlmConfig / EmbeddingConfig given as a model (any) or a dict."""
    return config.get(name) if isinstance(config, dict) else getattr(config, name, None)


def _handle(config: Any, provider_field: str, name_field: str) -> Optional[str]:
    """The "provider/model" handle of a Letta config, as an agent row keeps it."""
    if config is None:
        return None
    handle = _config_field(config, "handle")
    if handle:
        return handle
    provider, name = _config_field(config, provider_field), _config_field(config, name_field)
    if name and isinstance(provider, str) and provider:
        return f"{provider}/{name}"
    return name or None


def _agent_settings(model: Optional[str], embedding: Optional[str],
                    context_window_limit: Optional[int], llm_config: Any,
                    embedding_config: Any) -> List[c.Arg]:
    """The model, embedding and context window of an agent, given or from Letta's configs."""
    if model is None:
        model = _handle(llm_config, "model_endpoint_type", "model")
    if context_window_limit is None and llm_config is not None:
        context_window_limit = _config_field(llm_config, "context_window")
    if embedding is None:
        embedding = _handle(embedding_config, "embedding_endpoint_type", "embedding_model")
    return [("model", model, "text"), ("embedding", embedding, "text"),
            ("context_window_limit", context_window_limit, "integer")]


class _Resource:
    def __init__(self, run: Runner) -> None:
        self._run = run


class _IdentityLinks(_Resource):
    """An identity linked to, or unlinked from, an agent or a block: True when that changed."""

    def _link(self, function: str, identity_id: IdentityId, other: str, other_id: str,
              organization_id: Optional[str]) -> bool:
        return self._run(c.scalar(c.value_of(function, [
            c.required("identity_id", identity_id, "text"),
            c.required(other, other_id, "text"),
        ])), organization_id)


# Identities --------------------------------------------------------------------------------

class IdentityProperties(_Resource):
    def upsert(self, identity_id: IdentityId, *, request: Properties, request_options: Any = None,
               organization_id: Optional[str] = None) -> Identity:
        """Replaces the identity's properties (Letta's PUT .../properties). Letta returns
        nothing; this returns the identity."""
        return self._run(c.one(Identity, c.rows_of("letta_upsert_identity_properties", [
            c.required("identity_id", identity_id, "text"),
            c.required("properties", c.as_json(list(request)), "jsonb"),
        ])), organization_id)


class IdentityAgents(_Resource):
    def list(self, identity_id: IdentityId, *, before: Optional[str] = None, after: Optional[str] = None,
             limit: Optional[int] = None, order: Optional[str] = None,
             order_by: Optional[str] = None, request_options: Any = None,
             include_hidden: Optional[bool] = None, include_memory: Optional[bool] = None,
             include_identities: Optional[bool] = None,
             organization_id: Optional[str] = None) -> c.Page[AgentState]:
        """The identity's agents, newest first, hidden ones included (as Letta)."""
        _one_order("order_by", order_by, "created_at")
        return self._run(c.paged("letta_identity_agents", [
            c.required("identity_id", identity_id, "text"),
            ("include_hidden", include_hidden, "boolean"),
            ("before", before, "text"), ("after", after, "text"),
            ("page_size", limit, "integer"), ("ascending", c.ascending_from(order), "boolean"),
            ("include_memory", include_memory, "boolean"),
            ("include_identities", include_identities, "boolean"),
        ], AgentState.model_validate), organization_id)


class IdentityBlocks(_Resource):
    def list(self, identity_id: IdentityId, *, before: Optional[str] = None, after: Optional[str] = None,
             limit: Optional[int] = None, order: Optional[str] = None,
             order_by: Optional[str] = None, request_options: Any = None,
             organization_id: Optional[str] = None) -> c.Page[Block]:
        """The identity's blocks, newest first."""
        _one_order("order_by", order_by, "created_at")
        return self._run(c.paged("letta_identity_blocks", [
            c.required("identity_id", identity_id, "text"),
            ("before", before, "text"), ("after", after, "text"),
            ("page_size", limit, "integer"), ("ascending", c.ascending_from(order), "boolean"),
        ], Block.model_validate), organization_id)


class Identities(_Resource):
    def __init__(self, run: Runner) -> None:
        super().__init__(run)
        self.properties = IdentityProperties(run)
        self.agents = IdentityAgents(run)
        self.blocks = IdentityBlocks(run)

    def create(self, *, identifier_key: str, name: str, identity_type: str = "user",
               project_id: Optional[str] = None, agent_ids: Optional[Sequence[AgentId]] = None,
               block_ids: Optional[Sequence[BlockId]] = None, properties: Optional[Properties] = None,
               request_options: Any = None, organization_id: Optional[str] = None) -> Identity:
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
               project_id: Optional[str] = None, agent_ids: Optional[Sequence[AgentId]] = None,
               block_ids: Optional[Sequence[BlockId]] = None, properties: Optional[Properties] = None,
               request_options: Any = None, organization_id: Optional[str] = None) -> Identity:
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

    def retrieve(self, identity_id: IdentityId, *, request_options: Any = None,
                 organization_id: Optional[str] = None) -> Identity:
        return self._run(c.one(Identity, c.rows_of("letta_get_identity", [
            c.required("identity_id", identity_id, "text"),
        ])), organization_id)

    def list(self, *, name: Optional[str] = None, project_id: Optional[str] = None,
             identifier_key: Optional[str] = None, identity_type: Optional[str] = None,
             before: Optional[str] = None, after: Optional[str] = None,
             limit: Optional[int] = None, order: Optional[str] = None,
             order_by: Optional[str] = None, request_options: Any = None,
             property_key: Optional[str] = None, property_value: Any = None,
             properties: Optional[Sequence[Dict[str, Any]]] = None,
             organization_id: Optional[str] = None) -> c.Page[Identity]:
        """Letta's filters, then the extension's: one property (`property_key`, optionally
        `property_value`) or several (`properties`, a list of {"key", "value"?} conditions).
        Newest first; `order_by` "created_at" (Letta's) or "updated_at"."""
        return self._run(c.paged("letta_list_identities", [
            *_identity_filters(name, project_id, identifier_key, identity_type,
                               property_key, property_value, properties),
            ("before", before, "text"), ("after", after, "text"),
            ("page_size", limit, "integer"), ("ascending", c.ascending_from(order), "boolean"),
            ("order_by", order_by, "text"),
        ], Identity.model_validate), organization_id)

    def count(self, *, request_options: Any = None, name: Optional[str] = None,
              project_id: Optional[str] = None, identifier_key: Optional[str] = None,
              identity_type: Optional[str] = None, property_key: Optional[str] = None,
              property_value: Any = None, properties: Optional[Sequence[Dict[str, Any]]] = None,
              organization_id: Optional[str] = None) -> int:
        return self._run(c.scalar(c.value_of("letta_count_identities", _identity_filters(
            name, project_id, identifier_key, identity_type, property_key, property_value,
            properties))), organization_id)

    def modify(self, identity_id: IdentityId, *, identifier_key: Optional[str] = None,
               name: Optional[str] = None, identity_type: Optional[str] = None,
               agent_ids: Optional[Sequence[AgentId]] = None, block_ids: Optional[Sequence[BlockId]] = None,
               properties: Optional[Properties] = None, request_options: Any = None,
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

    def delete(self, identity_id: IdentityId, *, request_options: Any = None,
               organization_id: Optional[str] = None) -> None:
        """Deletes the identity and its links, as Letta does: its agents and blocks stay, with
        whatever they hold about the user (an agent with no other identity keeps its memory).
        To remove a user's data, use `forget`."""
        return self._run(c.nothing(c.value_of("letta_delete_identity", [
            c.required("identity_id", identity_id, "text"),
        ])), organization_id)

    def forget(self, identity_id: IdentityId, *, agents: bool = True, blocks: bool = True,
               dry_run: bool = False, organization_id: Optional[str] = None) -> ForgetResult:
        """Forgets an end user in one transaction (letta_forget_identity): the identity, the agents
        linked to it and to no other identity (unless agents=False), and its blocks and those
        agents' memory when nothing that stays has them (unless blocks=False). Returns what went
        (with dry_run=True: what would go, nothing deleted) and what was kept that still holds
        the user's data (letta_forget_identity_kept: shared agents and blocks)."""
        args: List[c.Arg] = [
            c.required("identity_id", identity_id, "text"),
            c.required("agents", agents, "boolean"), c.required("blocks", blocks, "boolean"),
        ]
        kept = c.rows_of("letta_forget_identity_kept", args)  # first: forget changes what it reads
        gone = c.rows_of("letta_forget_identity", [*args, c.required("dry_run", dry_run, "boolean")])

        def parse(each: List[List[c.Row]]) -> ForgetResult:
            kept_rows, gone_rows = each
            ids = lambda rows, kind: [r["id"] for r in rows if r["kind"] == kind]  # noqa: E731
            return ForgetResult(identity_id=ids(gone_rows, "identity")[0],
                                agent_ids=ids(gone_rows, "agent"), block_ids=ids(gone_rows, "block"),
                                kept_agent_ids=ids(kept_rows, "agent"),
                                kept_block_ids=ids(kept_rows, "block"), dry_run=dry_run)

        return self._run(c.Call((kept, gone), parse, every_statement=True), organization_id)


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
    def list(self, agent_id: AgentId, *, request_options: Any = None,
             organization_id: Optional[str] = None) -> List[Block]:
        """The blocks in the agent's own memory, oldest first."""
        return self._run(c.many(Block, _agent_blocks(agent_id)), organization_id)

    def retrieve(self, agent_id: AgentId, block_label: str, *, request_options: Any = None,
                 organization_id: Optional[str] = None) -> Block:
        return self._run(c.one(Block, c.rows_of("letta_get_agent_block", [
            c.required("agent_id", agent_id, "text"),
            c.required("block_label", block_label, "text"),
        ])), organization_id)

    def modify(self, agent_id: AgentId, block_label: str, *, value: Optional[str] = None,
               limit: Optional[int] = None, project_id: Optional[str] = None,
               name: Optional[str] = None, is_template: Optional[bool] = None,
               base_template_id: Optional[str] = None, deployment_id: Optional[str] = None,
               entity_id: Optional[str] = None, preserve_on_migration: Any = None,
               label: Optional[str] = None, read_only: Optional[bool] = None,
               description: Optional[str] = None, metadata: Optional[Dict[str, Any]] = None,
               hidden: Optional[bool] = None, request_options: Any = None,
               tags: Optional[Sequence[str]] = None,
               organization_id: Optional[str] = None) -> Block:
        """The block with that label in the agent's memory, changed (one statement: the label
        is resolved and the block updated together)."""
        _refuse(name=name, is_template=is_template, base_template_id=base_template_id,
                deployment_id=deployment_id, entity_id=entity_id)
        block_id = c.Subquery("(SELECT id FROM letta_get_agent_block(%s::text, %s::text))",
                              (agent_id, block_label))
        return self._run(c.one(Block, c.rows_of("letta_update_block", [
            c.required("block_id", block_id, "text"),
            *_block_changes(label, value, limit, description, metadata, read_only, project_id,
                            hidden, tags),
        ])), organization_id)

    def attach(self, agent_id: AgentId, block_id: BlockId, *, request_options: Any = None,
               organization_id: Optional[str] = None) -> AgentState:
        """Puts the block in the agent's memory; returns the agent, as Letta does."""
        return self._run(c.one(AgentState, _get_agent(agent_id), c.value_of(
            "letta_attach_agent_block", [c.required("agent_id", agent_id, "text"),
                                         c.required("block_id", block_id, "text")])),
            organization_id)

    def detach(self, agent_id: AgentId, block_id: BlockId, *, request_options: Any = None,
               organization_id: Optional[str] = None) -> AgentState:
        """Takes the block out of the agent's memory (the block stays); returns the agent.
        A block not in its memory is NotFoundError, as in Letta."""
        return self._run(c.one(AgentState, _get_agent(agent_id), c.value_of(
            "letta_detach_agent_block", [c.required("agent_id", agent_id, "text"),
                                         c.required("block_id", block_id, "text")])),
            organization_id)


class AgentIdentities(_IdentityLinks):
    """letta-client 1.x's `client.agents.identities` (0.1.x had no such calls)."""

    def attach(self, identity_id: IdentityId, *, agent_id: AgentId,
               organization_id: Optional[str] = None) -> bool:
        """Links the identity and the agent; True when the link is new."""
        return self._link("letta_attach_agent", identity_id, "agent_id", agent_id, organization_id)

    def detach(self, identity_id: IdentityId, *, agent_id: AgentId,
               organization_id: Optional[str] = None) -> bool:
        """Unlinks them; True when there was a link."""
        return self._link("letta_detach_agent", identity_id, "agent_id", agent_id, organization_id)

    def attach_by_key(self, identifier_key: str, *, agent_id: AgentId,
                      organization_id: Optional[str] = None) -> bool:
        """Links the agent to the identity with this identifier_key (each one, when several
        projects have it), without looking it up first; True when a link is new."""
        return self._run(c.scalar(c.value_of("letta_attach_agent_by_key", [
            c.required("identifier_key", identifier_key, "text"), c.required("agent_id", agent_id, "text"),
        ])), organization_id)

    def detach_by_key(self, identifier_key: str, *, agent_id: AgentId,
                      organization_id: Optional[str] = None) -> bool:
        """Unlinks the agent from the identity with this identifier_key; True when there was a link."""
        return self._run(c.scalar(c.value_of("letta_detach_agent_by_key", [
            c.required("identifier_key", identifier_key, "text"), c.required("agent_id", agent_id, "text"),
        ])), organization_id)


def _memory(statement: c.Statement) -> c.Call[Memory]:
    return c.Call((statement,), lambda rows: Memory(
        blocks=[Block.model_validate(row) for row in rows]))


class AgentTags(_Resource):
    """An agent's tags edited in place (not Letta's: its SDK replaces the whole list with
    agents.modify(tags=...), which two concurrent edits can undo for each other)."""

    def add(self, agent_id: AgentId, tags: Union[str, Sequence[str]], *,
            organization_id: Optional[str] = None) -> List[str]:
        """Adds the tags (those it has already stay once); returns its tags."""
        return self._run(c.scalar(c.value_of("letta_add_agent_tags", [
            c.required("agent_id", agent_id, "text"), c.required("tags", c.as_list(tags), "text[]"),
        ])), organization_id)

    def remove(self, agent_id: AgentId, tags: Union[str, Sequence[str]], *,
               organization_id: Optional[str] = None) -> List[str]:
        """Removes the tags (those it lacks are ignored); returns its tags."""
        return self._run(c.scalar(c.value_of("letta_remove_agent_tags", [
            c.required("agent_id", agent_id, "text"), c.required("tags", c.as_list(tags), "text[]"),
        ])), organization_id)


class AgentCoreMemory(_Resource):
    def retrieve(self, agent_id: AgentId, *, request_options: Any = None,
                 organization_id: Optional[str] = None) -> Memory:
        """The agent's memory (Letta's Memory): the blocks in its own memory, oldest first."""
        return self._run(_memory(_agent_blocks(agent_id)), organization_id)

    def retrieve_with_identities(self, agent_id: AgentId, *,
                                 organization_id: Optional[str] = None) -> Memory:
        """The extension's: the agent's own blocks, then its identities' blocks (each label
        once, its own block first). Letta's agents never saw their identities' blocks."""
        return self._run(_memory(c.rows_of("letta_agent_memory", [
            c.required("agent_id", agent_id, "text")])), organization_id)


def _get_agent(agent_id: AgentId) -> c.Statement:
    return c.rows_of("letta_get_agent", [c.required("agent_id", agent_id, "text")])


def _agent_blocks(agent_id: AgentId) -> c.Statement:
    return c.rows_of("letta_agent_blocks", [c.required("agent_id", agent_id, "text")])


class Agents(_Resource):
    def __init__(self, run: Runner) -> None:
        super().__init__(run)
        self.blocks = AgentBlocks(run)
        self.identities = AgentIdentities(run)
        self.core_memory = AgentCoreMemory(run)
        self.tags = AgentTags(run)

    def create(self, *, name: Optional[str] = None,
               memory_blocks: Optional[Sequence[Any]] = None, tools: Any = None,
               tool_ids: Any = None, source_ids: Any = None,
               block_ids: Optional[Sequence[BlockId]] = None, tool_rules: Any = None,
               tags: Optional[Sequence[str]] = None, system: Any = None, agent_type: Any = None,
               llm_config: Any = None, embedding_config: Any = None,
               initial_message_sequence: Any = None, include_base_tools: Any = None,
               include_multi_agent_tools: Any = None, include_base_tool_rules: Any = None,
               include_default_source: Any = None, description: Any = None,
               metadata: Optional[Dict[str, Any]] = None, model: Optional[str] = None,
               embedding: Optional[str] = None, context_window_limit: Optional[int] = None,
               embedding_chunk_size: Any = None, max_tokens: Any = None,
               max_reasoning_tokens: Any = None, enable_reasoner: Any = None,
               reasoning: Any = None, from_template: Optional[str] = None,
               template: Optional[bool] = None, project: Optional[str] = None,
               tool_exec_environment_variables: Any = None, secrets: Any = None,
               memory_variables: Optional[Dict[str, Any]] = None,
               project_id: Optional[str] = None, template_id: Optional[str] = None,
               base_template_id: Optional[str] = None,
               identity_ids: Optional[Sequence[IdentityId]] = None,
               message_buffer_autoclear: Any = None, enable_sleeptime: Any = None,
               response_format: Any = None, timezone: Any = None, max_files_open: Any = None,
               per_file_view_window_char_limit: Any = None, hidden: Optional[bool] = None,
               request_options: Any = None, id: Optional[str] = None,
               identifier_keys: Union[str, Sequence[str], None] = None,
               organization_id: Optional[str] = None) -> AgentState:
        """`memory_blocks` as Letta's CreateBlock (models or dicts): each a new block in the
        agent's memory. `id` keeps an agent id from a Letta server when mirroring agents.
        `identifier_keys` links it to the identities with these keys too, without a lookup
        first (NotFoundError naming a key no identity has)."""
        _refuse(from_template=from_template, template=template, project=project,
                memory_variables=memory_variables, template_id=template_id,
                base_template_id=base_template_id)
        return self._run(c.one(AgentState, c.rows_of("letta_create_agent", [
            ("name", name, "text"), ("tags", c.as_list(tags), "text[]"),
            ("identity_ids", c.as_list(identity_ids), "text[]"),
            *_agent_settings(model, embedding, context_window_limit, llm_config,
                             embedding_config),
            ("memory_blocks", c.as_json(c.as_list(memory_blocks)), "jsonb"),
            ("project_id", project_id, "text"), ("metadata", metadata, "jsonb"),
            ("id", id, "text"), ("hidden", hidden, "boolean"),
            ("block_ids", c.as_list(block_ids), "text[]"),
            ("identifier_keys", c.as_list(identifier_keys), "text[]"),
        ])), organization_id)

    def retrieve(self, agent_id: AgentId, *, include_relationships: Any = None,
                 request_options: Any = None,
                 organization_id: Optional[str] = None) -> AgentState:
        """The agent, with its memory and identities."""
        return self._run(c.one(AgentState, _get_agent(agent_id)), organization_id)

    def by_key(self, identifier_keys: Union[str, Sequence[str]], *,
               include_hidden: Optional[bool] = None,
               include_relationships: Union[str, Sequence[str], None] = None,
               organization_id: Optional[str] = None) -> List[AgentState]:
        """Every agent linked to an identity with one of these identifier keys, each once, newest
        first (letta_agents_by_key: not paged, no other filter; `list(identifier_keys=...)` is
        the paged form). `include_relationships` as in `list`."""
        relationships = _relationships(include_relationships)
        return self._run(c.many(AgentState, c.rows_of("letta_agents_by_key", [
            c.required("identifier_keys", c.as_list(identifier_keys), "text[]"),
            ("include_hidden", include_hidden, "boolean"),
            ("include_memory", "memory" in relationships or None, "boolean"),
            ("include_identities", "identities" in relationships or None, "boolean"),
        ])), organization_id)

    def list(self, *, name: Optional[str] = None,
             tags: Union[str, Sequence[str], None] = None, match_all_tags: Optional[bool] = None,
             before: Optional[str] = None, after: Optional[str] = None,
             limit: Optional[int] = None, query_text: Optional[str] = None,
             project_id: Optional[str] = None, template_id: Optional[str] = None,
             base_template_id: Optional[str] = None, identity_id: Optional[IdentityId] = None,
             identifier_keys: Union[str, Sequence[str], None] = None,
             include_relationships: Union[str, Sequence[str], None] = None,
             order: Optional[str] = None, order_by: Optional[str] = None,
             ascending: Optional[bool] = None, sort_by: Optional[str] = None,
             request_options: Any = None, include_hidden: Optional[bool] = None,
             include_memory: Optional[bool] = None, include_identities: Optional[bool] = None,
             exclude_tags: Optional[Sequence[str]] = None, all_tags: Optional[Sequence[str]] = None,
             metadata: Optional[Dict[str, Any]] = None,
             organization_id: Optional[str] = None) -> c.Page[AgentState]:
        """Letta's filters, ANDed; newest first. `order_by` (or Letta's older `sort_by`) is
        "created_at" or "updated_at" (agents here have no last_run_completion).
        `blocks` and `identities` are filled unless `include_relationships` names fewer, as
        Letta loads every relationship unless told (`include_relationships=[]`, the fast path,
        reads neither)."""
        _refuse(template_id=template_id, base_template_id=base_template_id)
        relationships = _relationships(include_relationships)
        return self._run(c.paged("letta_list_agents", [
            *_agent_filters(tags, match_all_tags, identifier_keys, identity_id, name, query_text,
                            project_id, include_hidden, exclude_tags, all_tags, metadata),
            ("before", before, "text"), ("after", after, "text"),
            ("page_size", limit, "integer"),
            ("ascending", c.ascending_from(order, ascending), "boolean"),
            ("include_memory", include_memory or ("memory" in relationships) or None, "boolean"),
            ("include_identities", include_identities or ("identities" in relationships) or None,
             "boolean"),
            ("order_by", order_by if order_by is not None else sort_by, "text"),
        ], AgentState.model_validate), organization_id)

    def count(self, *, request_options: Any = None, name: Optional[str] = None,
              tags: Union[str, Sequence[str], None] = None, match_all_tags: Optional[bool] = None,
              query_text: Optional[str] = None, project_id: Optional[str] = None,
              identity_id: Optional[IdentityId] = None,
              identifier_keys: Union[str, Sequence[str], None] = None,
              include_hidden: Optional[bool] = None, exclude_tags: Optional[Sequence[str]] = None,
              all_tags: Optional[Sequence[str]] = None, metadata: Optional[Dict[str, Any]] = None,
              organization_id: Optional[str] = None) -> int:
        """The number of agents `list` would give with the same filters (Letta counts all)."""
        return self._run(c.scalar(c.value_of("letta_count_agents", _agent_filters(
            tags, match_all_tags, identifier_keys, identity_id, name, query_text, project_id,
            include_hidden, exclude_tags, all_tags, metadata))), organization_id)

    def modify(self, agent_id: AgentId, *, name: Optional[str] = None, tool_ids: Any = None,
               source_ids: Any = None, block_ids: Optional[Sequence[BlockId]] = None,
               tags: Optional[Sequence[str]] = None, system: Any = None, tool_rules: Any = None,
               llm_config: Any = None, embedding_config: Any = None, message_ids: Any = None,
               description: Any = None, metadata: Optional[Dict[str, Any]] = None,
               tool_exec_environment_variables: Any = None, secrets: Any = None,
               project_id: Optional[str] = None, template_id: Optional[str] = None,
               base_template_id: Optional[str] = None,
               identity_ids: Optional[Sequence[IdentityId]] = None,
               message_buffer_autoclear: Any = None, model: Optional[str] = None,
               embedding: Optional[str] = None, reasoning: Any = None,
               enable_sleeptime: Any = None, response_format: Any = None,
               last_run_completion: Any = None, last_run_duration_ms: Any = None,
               timezone: Any = None, max_files_open: Any = None,
               per_file_view_window_char_limit: Any = None, hidden: Optional[bool] = None,
               request_options: Any = None, context_window_limit: Optional[int] = None,
               memory_blocks: Optional[Sequence[Any]] = None,
               organization_id: Optional[str] = None) -> AgentState:
        """None keeps a value; `tags`, `identity_ids` and `block_ids` (the blocks in its
        memory; blocks taken out stay) given replace exactly ([] clears). `memory_blocks`
        (the extension's) changes blocks by label instead; not with `block_ids`."""
        _refuse(template_id=template_id, base_template_id=base_template_id)
        return self._run(c.one(AgentState, c.rows_of("letta_update_agent", [
            c.required("agent_id", agent_id, "text"),
            ("name", name, "text"), ("tags", c.as_list(tags), "text[]"),
            ("identity_ids", c.as_list(identity_ids), "text[]"),
            *_agent_settings(model, embedding, context_window_limit, llm_config,
                             embedding_config),
            ("memory_blocks", c.as_json(c.as_list(memory_blocks)), "jsonb"),
            ("project_id", project_id, "text"), ("metadata", metadata, "jsonb"),
            ("hidden", hidden, "boolean"), ("block_ids", c.as_list(block_ids), "text[]"),
        ])), organization_id)

    update = modify  # letta-client 1.x's name

    def delete(self, agent_id: AgentId, *, request_options: Any = None,
               delete_blocks: bool = False, organization_id: Optional[str] = None) -> None:
        """Deletes the agent and its links; its blocks stay, as in Letta. The extension's
        `delete_blocks=True` also deletes the blocks that no other agent or identity has."""
        return self._run(c.nothing(c.value_of("letta_delete_agent", [
            c.required("agent_id", agent_id, "text"),
            ("delete_blocks", delete_blocks, "boolean"),
        ])), organization_id)


def _agent_filters(tags: Any, match_all_tags: Optional[bool], identifier_keys: Any,
                   identity_id: Optional[IdentityId], name: Optional[str], query_text: Optional[str],
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
    def list(self, block_id: BlockId, *, before: Optional[str] = None, after: Optional[str] = None,
             limit: Optional[int] = None, order: Optional[str] = None,
             order_by: Optional[str] = None,
             include_relationships: Union[str, Sequence[str], None] = None,
             request_options: Any = None, include_hidden: Optional[bool] = None,
             organization_id: Optional[str] = None) -> c.Page[AgentState]:
        """The agents whose memory has the block, newest first, hidden ones included (as
        Letta)."""
        _one_order("order_by", order_by, "created_at")
        relationships = _relationships(include_relationships)
        return self._run(c.paged("letta_block_agents", [
            c.required("block_id", block_id, "text"),
            ("include_hidden", include_hidden, "boolean"),
            ("before", before, "text"), ("after", after, "text"),
            ("page_size", limit, "integer"), ("ascending", c.ascending_from(order), "boolean"),
            ("include_memory", "memory" in relationships or None, "boolean"),
            ("include_identities", "identities" in relationships or None, "boolean"),
        ], AgentState.model_validate), organization_id)


class BlockIdentities(_IdentityLinks):
    """Identities sharing a block: as `client.agents.identities`, for blocks (the extension's;
    Letta links them only through `block_ids` on the identity)."""

    def attach(self, identity_id: IdentityId, *, block_id: BlockId,
               organization_id: Optional[str] = None) -> bool:
        return self._link("letta_attach_block", identity_id, "block_id", block_id, organization_id)

    def detach(self, identity_id: IdentityId, *, block_id: BlockId,
               organization_id: Optional[str] = None) -> bool:
        return self._link("letta_detach_block", identity_id, "block_id", block_id, organization_id)


class Blocks(_Resource):
    def __init__(self, run: Runner) -> None:
        super().__init__(run)
        self.agents = BlockAgents(run)
        self.identities = BlockIdentities(run)

    def create(self, *, value: str, label: str, limit: Optional[int] = None,
               project_id: Optional[str] = None, name: Optional[str] = None,
               is_template: Optional[bool] = None, base_template_id: Optional[str] = None,
               deployment_id: Optional[str] = None, entity_id: Optional[str] = None,
               preserve_on_migration: Any = None, read_only: Optional[bool] = None,
               description: Optional[str] = None, metadata: Optional[Dict[str, Any]] = None,
               hidden: Optional[bool] = None, request_options: Any = None,
               identity_ids: Optional[Sequence[IdentityId]] = None,
               tags: Optional[Sequence[str]] = None,
               organization_id: Optional[str] = None) -> Block:
        """A block; `limit` (default 100000) is advisory, as in Letta: a longer value is kept."""
        _refuse(name=name, is_template=is_template, base_template_id=base_template_id,
                deployment_id=deployment_id, entity_id=entity_id)
        return self._run(c.one(Block, c.rows_of("letta_create_block", [
            c.required("label", label, "text"), c.required("value", value, "text"),
            ("char_limit", limit, "integer"), ("description", description, "text"),
            ("metadata", metadata, "jsonb"),
            ("identity_ids", c.as_list(identity_ids), "text[]"),
            ("read_only", read_only, "boolean"), ("project_id", project_id, "text"),
            ("hidden", hidden, "boolean"), ("tags", c.as_list(tags), "text[]"),
        ])), organization_id)

    def retrieve(self, block_id: BlockId, *, request_options: Any = None,
                 organization_id: Optional[str] = None) -> Block:
        return self._run(c.one(Block, c.rows_of("letta_get_block", [
            c.required("block_id", block_id, "text"),
        ])), organization_id)

    def list(self, *, label: Optional[str] = None, templates_only: Optional[bool] = None,
             name: Optional[str] = None, identity_id: Optional[IdentityId] = None,
             identifier_keys: Union[str, Sequence[str], None] = None,
             project_id: Optional[str] = None, limit: Optional[int] = None,
             before: Optional[str] = None, after: Optional[str] = None,
             order: Optional[str] = None, order_by: Optional[str] = None,
             label_search: Optional[str] = None, description_search: Optional[str] = None,
             value_search: Optional[str] = None,
             connected_to_agents_count_gt: Optional[int] = None,
             connected_to_agents_count_lt: Optional[int] = None,
             connected_to_agents_count_eq: Union[int, Sequence[int], None] = None,
             request_options: Any = None, tags: Union[str, Sequence[str], None] = None,
             match_all_tags: Optional[bool] = None, include_hidden: Optional[bool] = None,
             organization_id: Optional[str] = None) -> c.Page[Block]:
        """Letta's filters, ANDed (`label_search` is ignored when `label` is given); oldest
        first, as Letta's block list."""
        _refuse(templates_only=templates_only, name=name)
        _one_order("order_by", order_by, "created_at")
        return self._run(c.paged("letta_list_blocks", [
            *_block_filters(label, label_search, value_search, description_search, identity_id,
                            identifier_keys, project_id, tags, match_all_tags,
                            connected_to_agents_count_gt, connected_to_agents_count_lt,
                            connected_to_agents_count_eq, include_hidden),
            ("before", before, "text"), ("after", after, "text"),
            ("page_size", limit, "integer"), ("ascending", c.ascending_from(order), "boolean"),
        ], Block.model_validate), organization_id)

    def count(self, *, request_options: Any = None, label: Optional[str] = None,
              identity_id: Optional[IdentityId] = None,
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

    def modify(self, block_id: BlockId, *, value: Optional[str] = None, limit: Optional[int] = None,
               project_id: Optional[str] = None, name: Optional[str] = None,
               is_template: Optional[bool] = None, base_template_id: Optional[str] = None,
               deployment_id: Optional[str] = None, entity_id: Optional[str] = None,
               preserve_on_migration: Any = None, label: Optional[str] = None,
               read_only: Optional[bool] = None, description: Optional[str] = None,
               metadata: Optional[Dict[str, Any]] = None, hidden: Optional[bool] = None,
               request_options: Any = None, tags: Optional[Sequence[str]] = None,
               organization_id: Optional[str] = None) -> Block:
        """None keeps a value. A read-only block changes too (`read_only` is for the agent's
        own memory tools, as in Letta); `limit` is advisory."""
        _refuse(name=name, is_template=is_template, base_template_id=base_template_id,
                deployment_id=deployment_id, entity_id=entity_id)
        return self._run(c.one(Block, c.rows_of("letta_update_block", [
            c.required("block_id", block_id, "text"),
            *_block_changes(label, value, limit, description, metadata, read_only, project_id,
                            hidden, tags),
        ])), organization_id)

    update = modify  # letta-client 1.x's name

    def delete(self, block_id: BlockId, *, request_options: Any = None,
               organization_id: Optional[str] = None) -> None:
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
                   identity_id: Optional[IdentityId], identifier_keys: Any, project_id: Optional[str],
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
             order_by: Optional[str] = None, query_text: Optional[str] = None,
             name: Optional[str] = None, request_options: Any = None,
             organization_id: Optional[str] = None) -> c.Page[str]:
        """The distinct tags of the organization's agents and blocks, ascending by default;
        the cursors are tags. `name` and `query_text` both search (`name` wins, as in Letta)."""
        _one_order("order_by", order_by, "name")
        args: List[c.Arg] = [
            ("query_text", query_text, "text"), ("before", before, "text"),
            ("after", after, "text"), ("page_size", limit, "integer"), ("name", name, "text"),
            ("ascending", c.ascending_from(order), "boolean"),
        ]
        return self._run(c.paged("letta_list_tags", args, lambda row: row["tag"]), organization_id)

    def counts(self, *, tags: Union[str, Sequence[str], None] = None,
               include_hidden: Optional[bool] = None,
               organization_id: Optional[str] = None) -> Dict[str, int]:
        """How many agents carry each tag (letta_count_agents_by_tag): every tag of the
        organization's agents, or the ones given (0 for a tag no agent has)."""
        statement = c.rows_of("letta_count_agents_by_tag", [
            ("tags", c.as_list(tags), "text[]"), ("include_hidden", include_hidden, "boolean"),
        ])
        return self._run(c.Call((statement,), lambda rows: {r["tag"]: r["agents"] for r in rows}),
                         organization_id)
