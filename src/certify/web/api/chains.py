"""Chains over the API: create one, see your chains and their members, add or leave as
representative, add your own shop, invite a shop's owner, accept an invitation, take a shop out;
the kommun's list of chains with members in its kommun."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, delete, get, post
from litestar.params import FromPath, JSONBody

from certify.services import chains
from certify.services.actor import Actor
from certify.services.chains import ChainInvitationView, ChainView
from certify.web.api.schemas import (
    ChainBody,
    ChainInviteBody,
    ChainRepresentativeBody,
    ChainShopBody,
    PathId,
)
from certify.web.guards import KOMMUN, OWNER

MEMBERS_SHOWN = (
    "Members are shown with name, kommun, certificate status and valid-until, and the state of the "
    "latest case: states and dates only, never answers, comments, remarks or evidence."
)


class ChainsController(Controller):
    tags = ["chains"]

    @post(
        "/api/chains",
        opt=OWNER,
        status_code=201,
        summary="Create a chain; you become its first representative (owner)",
        description=(
            "`org_number` is the chain's central organisationsnummer (400 naming the field when it is "
            "malformed); a chain with the same number already exists: 409 `chain_org_number_taken`."
        ),
    )
    async def create(self, request: Request[Actor, Any, Any], data: JSONBody[ChainBody]) -> ChainView:
        return await chains.create(request.user, data.name, data.org_number)

    @get(
        "/api/chains",
        opt=OWNER,
        summary="The chains you represent, and the chains your shops belong to (owner)",
        description=(
            "A chain representative sees every member; the owner of a member shop sees the chain's "
            "name and his own shops' membership only. " + MEMBERS_SHOWN
        ),
    )
    async def list_chains(self, request: Request[Actor, Any, Any]) -> list[ChainView]:
        return await chains.list_visible(request.user)

    @get("/api/chains/{chain_id:int}", opt=OWNER, summary="One chain and the members you may see (owner)")
    async def get_chain(self, request: Request[Actor, Any, Any], chain_id: PathId) -> ChainView:
        return await chains.get(request.user, chain_id)

    @post(
        "/api/chains/{chain_id:int}/representatives",
        opt=OWNER,
        status_code=200,
        summary="Let another owner account act for the chain too (chain representative)",
        description="The account must exist: otherwise 422 `chain_account_unknown`.",
    )
    async def add_representative(
        self, request: Request[Actor, Any, Any], chain_id: PathId, data: JSONBody[ChainRepresentativeBody]
    ) -> ChainView:
        return await chains.add_representative(request.user, chain_id, data.email)

    @delete(
        "/api/chains/{chain_id:int}/representatives/me",
        opt=OWNER,
        summary="Stop acting for the chain (chain representative)",
        description="A chain keeps at least one representative: 422 `last_chain_representative`.",
    )
    async def leave(self, request: Request[Actor, Any, Any], chain_id: PathId) -> None:
        await chains.leave(request.user, chain_id)

    @post(
        "/api/chains/{chain_id:int}/members",
        opt=OWNER,
        status_code=201,
        summary="Add a shop the chain owns itself: one you also represent (chain representative)",
        description="A shop belongs to at most one chain: 409 `shop_already_in_chain`.",
    )
    async def add_own_shop(
        self, request: Request[Actor, Any, Any], chain_id: PathId, data: JSONBody[ChainShopBody]
    ) -> ChainView:
        return await chains.add_own_shop(request.user, chain_id, data.business_id)

    @delete(
        "/api/chains/{chain_id:int}/members/{business_id:int}",
        opt=OWNER,
        summary="Take a shop out of the chain (chain representative, or the shop's representative)",
    )
    async def remove_member(
        self, request: Request[Actor, Any, Any], chain_id: PathId, business_id: PathId
    ) -> None:
        await chains.remove_member(request.user, chain_id, business_id)

    @post(
        "/api/chains/{chain_id:int}/invitations",
        opt=OWNER,
        status_code=201,
        summary="E-mail a shop's owner a one-time link to join the chain, valid 30 days (chain rep.)",
    )
    async def invite(
        self, request: Request[Actor, Any, Any], chain_id: PathId, data: JSONBody[ChainInviteBody]
    ) -> ChainInvitationView:
        return await chains.invite(request.user, chain_id, data.email)

    @post(
        "/api/chain-invitations/{token:str}/accept",
        opt=OWNER,
        status_code=200,
        summary="Accept a chain's invitation for one of the shops you represent (owner)",
        description=(
            "Each invitation works once and expires (404 `chain_invitation_not_found`); a shop you do "
            "not represent is 404 `business_not_found`; a shop in a chain already 409."
        ),
    )
    async def accept(
        self, request: Request[Actor, Any, Any], token: FromPath[str], data: JSONBody[ChainShopBody]
    ) -> ChainView:
        return await chains.accept(request.user, token, data.business_id)

    @get(
        "/api/kommun/chains",
        opt=KOMMUN,
        summary="The chains with member shops in your kommun, with those members only (kommun)",
        description=MEMBERS_SHOWN,
    )
    async def kommun_chains(self, request: Request[Actor, Any, Any]) -> list[ChainView]:
        return await chains.list_visible(request.user)
