from ninja import NinjaAPI

api = NinjaAPI(title="Microsolidarity API", version="1", urls_namespace="api")
