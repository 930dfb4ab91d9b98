"""``mwstui profile add``'s flags made into a Profile: which apply to which service, checked."""

from __future__ import annotations

import argparse
from pathlib import Path

from mwstui.catalog import load_catalog
from mwstui.commands import UsageError
from mwstui.errors import ConfigError
from mwstui.settings.checks import (
    check_endpoint,
    check_marketplace_id,
    check_profile_name,
    check_spapi_place,
)
from mwstui.settings.new_profile import lwa_client_id_problem
from mwstui.settings.profile import Profile, Service


def profile_from_args(args: argparse.Namespace) -> Profile:
    """Build (and validate) the profile the ``add`` flags describe.

    Raises:
        UsageError: missing, conflicting or invalid flags.
    """
    try:
        name = check_profile_name(args.name)
        if args.service == Service.MWS:
            return _mws_profile(name, args)
        if args.service == Service.SPAPI:
            return _spapi_profile(name, args)
        return _sellercenter_profile(name, args)
    except ConfigError as exc:
        raise UsageError(str(exc)) from None


def _mws_profile(name: str, args: argparse.Namespace) -> Profile:
    _forbid(
        args,
        "MWS",
        sc_host="--sc-host",
        sc_user="--sc-user",
        sc_seller_id="--sc-seller-id",
        lwa_client_id="--lwa-client-id",
        lwa_endpoint="--lwa-endpoint",
    )
    if not args.marketplaces:
        raise UsageError("an MWS profile needs --marketplace ID")
    for flag, value in (("--seller-id", args.seller_id), ("--access-key", args.access_key)):
        if not (value or "").strip():
            raise UsageError(f"an MWS profile needs {flag}")
    catalog = load_catalog()
    ids = [check_marketplace_id(m.strip()) for m in args.marketplaces]
    known = [catalog.marketplace(m) for m in ids]
    endpoint = args.endpoint
    if not endpoint:
        endpoints = {m.endpoint for m in known if m is not None}
        if None in known or len(endpoints) != 1:
            raise UsageError(
                "cannot tell the endpoint from these marketplaces: pass --endpoint URL"
            )
        endpoint = endpoints.pop()
    regions = {m.region for m in known if m is not None}
    region = args.region.upper() if args.region else (regions.pop() if len(regions) == 1 else None)
    if args.region and regions and regions != {region}:
        raise UsageError(f"--region {args.region} does not match the marketplaces' region")
    return Profile(
        name=name,
        service=Service.MWS,
        endpoint=check_endpoint(endpoint, "--endpoint"),
        region=region,
        marketplace_ids=tuple(dict.fromkeys(ids)),
        seller_id=args.seller_id.strip(),
        access_key_id=args.access_key.strip(),
        read_only=args.read_only,
        ca_bundle=_ca_bundle(args.ca_bundle),
    )


def _sellercenter_profile(name: str, args: argparse.Namespace) -> Profile:
    _forbid(
        args,
        "SellerCenter",
        marketplaces="--marketplace",
        region="--region",
        seller_id="--seller-id",
        access_key="--access-key",
        lwa_client_id="--lwa-client-id",
        lwa_endpoint="--lwa-endpoint",
    )
    host = args.sc_host or args.endpoint
    if args.sc_host and args.endpoint and args.sc_host != args.endpoint:
        raise UsageError("give the SellerCenter host once (--sc-host)")
    if not host:
        raise UsageError("a SellerCenter profile needs --sc-host URL")
    if not (args.sc_user or "").strip():
        raise UsageError("a SellerCenter profile needs --sc-user USERID")
    if "://" not in host:
        host = f"https://{host}"
    return Profile(
        name=name,
        service=Service.SELLERCENTER,
        endpoint=check_endpoint(host, "--sc-host"),
        sellercenter_user_id=args.sc_user.strip(),
        sellercenter_seller_id=(getattr(args, "sc_seller_id", None) or "").strip() or None,
        read_only=args.read_only,
        ca_bundle=_ca_bundle(args.ca_bundle),
    )


def _spapi_profile(name: str, args: argparse.Namespace) -> Profile:
    _forbid(
        args,
        "SP-API",
        access_key="--access-key",
        sc_host="--sc-host",
        sc_user="--sc-user",
        sc_seller_id="--sc-seller-id",
    )
    if not args.region:
        raise UsageError("an SP-API profile needs --region NA, EU or FE")
    if not args.marketplaces:
        raise UsageError("an SP-API profile needs --marketplace ID")
    client_id = (args.lwa_client_id or "").strip()
    if not client_id:
        raise UsageError("an SP-API profile needs --lwa-client-id ID")
    if problem := lwa_client_id_problem(client_id, "--lwa-client-id"):
        raise UsageError(problem)
    ids = [m.strip() for m in args.marketplaces]
    region = check_spapi_place(args.region, ids, "")
    endpoint = args.endpoint or load_catalog().spapi.region(region).endpoint
    lwa = check_endpoint(args.lwa_endpoint, "--lwa-endpoint") if args.lwa_endpoint else None
    return Profile(
        name=name,
        service=Service.SPAPI,
        endpoint=check_endpoint(endpoint, "--endpoint"),
        region=region,
        marketplace_ids=tuple(dict.fromkeys(ids)),
        seller_id=(args.seller_id or "").strip() or None,
        lwa_client_id=client_id,
        lwa_endpoint=lwa,
        read_only=args.read_only,
        ca_bundle=_ca_bundle(args.ca_bundle),
    )


def _ca_bundle(path: str | None) -> str | None:
    if path is None:
        return None
    full = Path(path).expanduser().absolute()
    if not full.is_file():
        raise UsageError(f"--ca-bundle {path}: no such file")
    return str(full)


def _forbid(args: argparse.Namespace, service: str, **flags: str) -> None:
    for attr, flag in flags.items():
        if getattr(args, attr, None):
            article = "an" if service.startswith("SP") else "a"
            raise UsageError(f"{flag} does not apply to {article} {service} profile")
