"""The JSON API object, mounted at /api/v1/ by the project's urls."""

from ninja import NinjaAPI, Swagger

from microsolidarity.api import crewing, dyads, errors, gatherings, groups, journal, library, me
from microsolidarity.api import notifications as notifications_api
from microsolidarity.api import programs as programs_api
from microsolidarity.api.auth import ANYONE
from microsolidarity.api.participation import router as participation_router
from microsolidarity.ratelimits import ActionThrottle

api = NinjaAPI(
    title="Microsolidarity API",
    version="1",
    description=(
        "Groups across the scales, memberships and you. Authenticate with a personal token "
        "(`Authorization: Bearer <token>`) or a browser session; see docs/api.md."
    ),
    urls_namespace="api",
    auth=ANYONE,
    throttle=[ActionThrottle("api")],
    # The validator badge would call swagger.io; everything here is served locally.
    docs=Swagger(settings={"validatorUrl": None}),
)
errors.register(api)
api.add_router("/groups", groups.router)
api.add_router("/me", me.router)
api.add_router("/gatherings", gatherings.router)
api.add_router("/dyads", dyads.router)
api.add_router("/journal", journal.router)
api.add_router("/crewing", crewing.router)
api.add_router("/programs", programs_api.router)
api.add_router("/participation", participation_router)
api.add_router("/library", library.router)
api.add_router("/notifications", notifications_api.router)
